/**
 * The words a policy rule may use: each subject with its actions and fields. A copy of
 * libs/authorization/vocabulary.ts for the "Explain a decision" form (the browser app does not
 * import the service's code); policy-vocabulary.spec.ts fails when the two differ.
 */
export const POLICY_SUBJECTS: Record<string, { actions: readonly string[]; fields: readonly string[] }> = {
  Organization: { actions: ['create', 'read', 'update', 'deactivate'], fields: ['id', 'key', 'name', 'kind', 'part2Program'] },
  RecipientOrganization: { actions: ['read'], fields: [] },
  AccessPolicy: { actions: ['read', 'publish', 'activate', 'explain'], fields: ['role', 'version'] },
  ProgramWebhook: { actions: ['read', 'update'], fields: ['organizationKey'] },
  Patient: { actions: ['create', 'read', 'update', 'merge'], fields: ['id', 'organizationKey'] },
  Enrollment: { actions: ['create', 'read', 'update'], fields: ['id', 'organizationKey'] },
  Consent: { actions: ['create', 'read', 'update', 'revoke'], fields: ['id', 'organizationKey'] },
  ResponderView: { actions: ['lookup', 'emergency-access'], fields: ['programName', 'inTreatment', 'treatmentSince', 'careTeam', 'engagementNotes'] },
  EmergencyDisclosure: { actions: ['read', 'acknowledge'], fields: ['id', 'organizationKey'] },
  Disclosure: { actions: ['read'], fields: ['organizationKey'] },
  ReviewPatient: { actions: ['read'], fields: ['organizationKey'] },
  AuditEvent: { actions: ['read', 'verify'], fields: ['actorOrganizationKey', 'subjectOrganizationKeys'] },
  PartnershipAgreement: { actions: ['read', 'propose', 'accept', 'end'], fields: ['providerOrganizationKey', 'agencyOrganizationKey', 'status'] },
  Referral: { actions: ['create', 'read', 'accept', 'decline', 'record-outcome'], fields: ['id', 'agencyOrganizationKey', 'providerOrganizationKey', 'person', 'callbackPhone', 'note', 'patientId', 'outcome'] },
  AgencyReport: { actions: ['read'], fields: ['organizationKey'] },
  Self: { actions: ['read'], fields: [] },
};

/**
 * Each subject in words, shown before its name in the "Explain a decision" form: the name stays
 * (the rules as JSON use it) but a new administrator should not have to guess what
 * `ResponderView` or `ReviewPatient` stands for. policy-vocabulary.spec.ts holds the keys equal.
 */
export const SUBJECT_WORDS: Record<string, string> = {
  Organization: 'Organisations',
  RecipientOrganization: 'Agencies a consent may name',
  AccessPolicy: 'Access policies',
  ProgramWebhook: "Programs' notification endpoints",
  Patient: 'Patients',
  Enrollment: 'Enrollments and care teams',
  Consent: 'Consents',
  ResponderView: "A responder's answer",
  EmergencyDisclosure: 'Medical-emergency disclosures',
  Disclosure: 'Accountings of disclosures',
  ReviewPatient: 'People looked up for a complaint',
  AuditEvent: 'Audit events',
  PartnershipAgreement: 'Partnership agreements',
  Referral: 'Referrals',
  AgencyReport: "An agency's monthly report",
  Self: 'Their own identity',
};
