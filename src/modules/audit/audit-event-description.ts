import type { AuditOutcome } from '@libs/ledger/audit-event.js';

/**
 * Every audit action and outcome in plain words (`AuditEvent.description`), so a compliance
 * officer reads "Looked up a person for an incident" rather than `responderLookup`. Built from
 * codes only — the action, the outcome, the legal basis — never from names or notes (C3).
 * docs/audit.md lists the same table; a test holds the two and the schema's operations equal.
 */
export const AUDIT_ACTION_WORDS: Readonly<Record<string, string>> = {
  // Signing in and who am I
  authenticate: 'Presented a sign-in token to the service',
  me: 'Opened the app (read their own identity)',
  // Organisations and access policies (admins)
  createOrganization: 'Created an organisation',
  organizations: 'Listed the organisations',
  renameOrganization: 'Renamed an organisation',
  changeAgencyType: "Changed a responder agency's type",
  deactivateOrganization: 'Deactivated an organisation (its people can no longer sign in; its partnership agreements end)',
  recipientOrganizations: 'Listed the responder agencies a consent may name',
  accessPolicies: 'Read the access policies',
  publishAccessPolicy: 'Published a new access policy version',
  activateAccessPolicy: 'Activated an access policy version (publish or roll back)',
  explainAccess: 'Asked which policy rule decides an action',
  installDefaultAccessPolicy: 'Installed the shipped default access policy (the service, at start)',
  programWebhooks: "Read the programs' notification endpoints",
  setProgramWebhook: "Set a program's notification endpoint",
  removeProgramWebhook: "Removed a program's notification endpoint",
  // Partnership agreements (admins of both sides)
  partnerships: 'Listed the partnership agreements of their organisation',
  proposePartnership: 'Proposed a partnership agreement between a treatment provider and a responder agency',
  acceptPartnership: "Accepted the other side's proposed partnership agreement",
  endPartnership: 'Ended a partnership agreement (or withdrew or declined a proposal)',
  // Patients and enrollments (provider staff)
  registerPatient: 'Registered a patient',
  updatePatient: "Corrected a patient's name, date of birth or aliases",
  mergePatients: 'Merged two records of the same patient into one',
  patients: 'Listed patients',
  findPatients: 'Looked a patient of their organisation up by name and date of birth',
  patient: "Read a patient's record",
  patientEnrollments: "Read a patient's enrollments and care team",
  recordEnrollment: 'Recorded an enrollment in a program',
  updateEnrollment: "Corrected an enrollment's program name, care team or engagement notes",
  endEnrollment: 'Ended an enrollment',
  // Consents (provider staff)
  recordConsent: 'Recorded a consent to disclose',
  supersedeConsent: 'Recorded a new version of a consent, replacing the earlier one',
  revokeConsent: 'Recorded the revocation of a consent',
  consents: "Read a patient's consents",
  consent: 'Read a consent',
  // Responders and medical emergencies
  responderLookup: 'Looked up a person for an incident',
  emergencyAccess: 'Asked for information in a medical emergency (42 CFR 2.51)',
  emergencyDisclosures: 'Listed the medical-emergency disclosures of their program',
  acknowledgeEmergencyDisclosure: 'Acknowledged a medical-emergency disclosure of their program',
  notifyProgram: 'Notified the program of a medical-emergency disclosure at its endpoint (the service)',
  // Referrals and the feedback loop (issue 15)
  createReferral: 'Referred a person, who agreed to it, to a partner treatment provider',
  referralPartners: 'Listed the partner providers their agency may refer to',
  referrals: "Read their organisation's referrals (a provider's queue, or the referrals an agency made)",
  acceptReferral: "Accepted a referral and linked it to a patient of the provider's",
  declineReferral: 'Declined a referral',
  recordReferralOutcome: 'Recorded what became of a referral, closing it',
  referralOutcomeDisclosure: 'Showed the referring agency what became of its referral',
  agencyReport: "Read the agency's monthly referral and lookup counts (aggregate, small cells suppressed)",
  // Compliance
  auditEvents: 'Searched the audit log',
  auditEvent: 'Read an audit event',
  verifyAuditLog: "Verified the audit log's signed hash chain",
  auditLedgerState: "Read the audit ledger's state (last checkpoint, events not sealed, last verification)",
  accountingOfDisclosures: "Produced a patient's accounting of disclosures",
  accountingOfDisclosuresExport: "Downloaded a patient's accounting of disclosures",
  findPatientsForReview: 'Looked a person up by name and date of birth to review a complaint',
};

export const AUDIT_OUTCOME_WORDS: Readonly<Record<AuditOutcome, string>> = {
  SUCCESS: 'Done.',
  DENIED: 'Refused: no access policy allows this person to do this.',
  DISCLOSED: 'Information was disclosed.',
  NOT_DISCLOSED: 'Nothing was disclosed: the one "no information" answer was given.',
  RATE_LIMITED: 'Refused: too many attempts in the time allowed; nothing was disclosed.',
  REFUSED: 'Refused: the request was not valid (the fields at fault are named in the details); nothing was changed or disclosed.',
};

const BASIS_WORDS: Readonly<Record<string, string>> = {
  CONSENT: "Information was disclosed under the patient's written consent (42 CFR 2.31).",
  MEDICAL_EMERGENCY: 'Information was disclosed to medical personnel in a medical emergency (42 CFR 2.51).',
};

/** The action in words; an action this table does not know yet is named as it is. */
export function actionInWords(action: string): string {
  return AUDIT_ACTION_WORDS[action] ?? `The operation ${action}`;
}

/** "Looked up a person for an incident. Information was disclosed under the patient's written consent (42 CFR 2.31)." */
export function describeAuditEvent(event: { action: string; outcome: string; basis: string | null }): string {
  const outcome =
    event.outcome === 'DISCLOSED' && event.basis && BASIS_WORDS[event.basis]
      ? BASIS_WORDS[event.basis]
      : (AUDIT_OUTCOME_WORDS[event.outcome as AuditOutcome] ?? `Outcome ${event.outcome}.`);
  return `${actionInWords(event.action)}. ${outcome}`;
}
