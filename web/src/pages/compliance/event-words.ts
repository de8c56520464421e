/** The codes an audit event carries, in words a compliance officer reads (docs/audit.md). */
export const PURPOSE_WORDS: Record<string, string> = {
  CRISIS_RESPONSE: 'Crisis response',
  CARE_COORDINATION: 'Care coordination',
};

export const BASIS_WORDS: Record<string, string> = {
  CONSENT: "The patient's written consent (42 CFR 2.31)",
  MEDICAL_EMERGENCY: 'A medical emergency (42 CFR 2.51)',
};

export const CATEGORY_WORDS: Record<string, string> = {
  TREATMENT_STATUS: 'Treatment status',
  CARE_TEAM_CONTACT: 'How to reach the care team',
  ENGAGEMENT_NOTES: 'Engagement notes',
  REFERRAL_OUTCOME: 'Referral outcome',
};

export const OUTCOME_WORDS: Record<string, string> = {
  SUCCESS: 'Success',
  DISCLOSED: 'Disclosed',
  NOT_DISCLOSED: 'Not disclosed',
  DENIED: 'Denied',
  REFUSED: 'Refused',
  RATE_LIMITED: 'Rate limited',
};

export const ROLE_WORDS: Record<string, string> = {
  responder: 'Responder',
  clinical_responder: 'Clinical responder',
  provider_staff: 'Provider staff',
  compliance_officer: 'Compliance officer',
  admin: 'Administrator',
  system: 'The service itself',
  operator: 'Operator (command line)',
};

/** The verification's reason codes (schema.gql, AuditVerification.reason) in words. */
export const VERIFICATION_REASONS: Record<string, string> = {
  CHECKPOINT_SIGNATURE_INVALID: 'A checkpoint’s signature does not verify.',
  CHECKPOINT_ALTERED: 'A checkpoint was changed after it was signed.',
  CHECKPOINT_MISSING: 'A checkpoint is missing, or the database holds less than a witness holds.',
  HEAD_MISMATCH: 'A checkpoint differs from the one a witness holds.',
  EVENT_ALTERED: 'An event was changed after it was sealed.',
  EVENT_MISSING: 'An event that was sealed is missing.',
  EVENT_INSERTED_BEHIND_CHECKPOINT: 'An event was inserted behind a checkpoint.',
  CHAIN_MISMATCH: 'The hash chain does not link up.',
};

export const words = (table: Record<string, string>, code: string | null | undefined): string => (code ? (table[code] ?? code) : '—');

export const list = (table: Record<string, string>, codes: readonly string[]): string => (codes.length === 0 ? 'None' : codes.map((c) => words(table, c)).join(', '));
