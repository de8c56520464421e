export const AUDIT_OUTCOMES = ['SUCCESS', 'DENIED', 'DISCLOSED', 'NOT_DISCLOSED', 'RATE_LIMITED', 'REFUSED'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/**
 * What one audited operation appends. Never a name, date of birth, phone number or note (C3):
 * patients appear by id only.
 */
export interface AuditEventInput {
  /** The operation, named as in the GraphQL contract (for example `registerPatient`). */
  action: string;
  outcome: AuditOutcome;
  patientIds?: string[];
  /** Organisations whose records the event concerns (for example the disclosing program). */
  subjectOrganizationKeys?: string[];
  incidentNumber?: string;
  purpose?: string;
  basis?: string;
  consentIds?: string[];
  disclosedCategories?: string[];
  /** Ids and codes only. */
  details?: Record<string, unknown>;
}

/** Who an audit event names as its actor: a caller (from the verified principal and the policy decision), or a system act. */
export interface AuditActor {
  sub: string;
  organizationKey: string;
  roles: string[];
  name: string;
  policyVersion: number | null;
  policyRule: string | null;
  requestId: string | null;
}

export interface AppendedAuditEvent {
  id: string;
  sequence: string;
  occurredAt: Date;
}
