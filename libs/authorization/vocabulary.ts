/** The fields of a responder's answer a policy can allow (CASL field rules on ResponderView, C10). */
export const RESPONDER_FIELDS = ['programName', 'inTreatment', 'treatmentSince', 'careTeam', 'engagementNotes'] as const;
export type ResponderField = (typeof RESPONDER_FIELDS)[number];

/**
 * The language of policy documents: which actions apply to which subjects, and which fields a
 * field rule may name. A rule outside this vocabulary is refused before it can run.
 */
export const POLICY_VOCABULARY = {
  Organization: { actions: ['create', 'read', 'update', 'deactivate'], fields: ['id', 'key', 'name', 'kind', 'part2Program'] },
  /** The directory of responder agencies a provider's consent may name (`recipientOrganizations`): no patient data. */
  RecipientOrganization: { actions: ['read'], fields: [] },
  AccessPolicy: { actions: ['read', 'publish', 'activate', 'explain'], fields: ['role', 'version'] },
  /** Where a program's §2.51 notifications are delivered (`programWebhooks`, `setProgramWebhook`): no patient data. */
  ProgramWebhook: { actions: ['read', 'update'], fields: ['organizationKey'] },
  Patient: { actions: ['create', 'read', 'update', 'merge'], fields: ['id', 'organizationKey'] },
  Enrollment: { actions: ['create', 'read', 'update'], fields: ['id', 'organizationKey'] },
  Consent: { actions: ['create', 'read', 'update', 'revoke'], fields: ['id', 'organizationKey'] },
  ResponderView: { actions: ['lookup', 'emergency-access'], fields: RESPONDER_FIELDS },
  EmergencyDisclosure: { actions: ['read', 'acknowledge'], fields: ['id', 'organizationKey'] },
  Disclosure: { actions: ['read'], fields: ['organizationKey'] },
  /** Finding a person by name and date of birth to answer a complaint (`findPatientsForReview`): compliance officers. */
  ReviewPatient: { actions: ['read'], fields: ['organizationKey'] },
  AuditEvent: { actions: ['read', 'verify'], fields: ['actorOrganizationKey', 'subjectOrganizationKeys'] },
  /**
   * Partnership agreements between a treatment provider and a responder agency (issue 15): no
   * patient data. `status` is the agreement's status at the moment of the read (database clock).
   */
  PartnershipAgreement: { actions: ['read', 'propose', 'accept', 'end'], fields: ['providerOrganizationKey', 'agencyOrganizationKey', 'status'] },
  /**
   * A referral of a person to a partner provider (issue 15). Conditions name the referring agency
   * or the receiving provider; field rules may name the detail fields (the person's name and date
   * of birth as `person`, `callbackPhone`, `note`, `patientId`, `outcome`): status, reason,
   * urgency, incident number and dates go to whoever may read the row (docs/partnerships.md).
   */
  Referral: { actions: ['create', 'read', 'accept', 'decline', 'record-outcome'], fields: ['id', 'agencyOrganizationKey', 'providerOrganizationKey', 'person', 'callbackPhone', 'note', 'patientId', 'outcome'] },
  /** The agency's monthly feedback report (`agencyReport`): counts only, small cells suppressed, never a person. */
  AgencyReport: { actions: ['read'], fields: ['organizationKey'] },
  /** The signed-in person's own identity (`me`): what the verified token says, nothing about anyone else. */
  Self: { actions: ['read'], fields: [] },
} as const;

export type SubjectName = keyof typeof POLICY_VOCABULARY;
export type ActionName = (typeof POLICY_VOCABULARY)[SubjectName]['actions'][number];

/** Values a condition may take from the caller, filled in per request. */
export const PLACEHOLDERS = ['${principal.org}', '${principal.sub}'] as const;
