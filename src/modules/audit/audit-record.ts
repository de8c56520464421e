/** An audit event as compliance officers read it. */
export interface AuditRecord {
  id: string;
  sequence: string;
  occurredAt: Date;
  /** Microsecond UTC time, for keyset paging. */
  sortTime: string;
  action: string;
  outcome: string;
  actorSubject: string;
  actorOrganizationKey: string;
  actorRoles: string[];
  actorName: string | null;
  patientIds: string[];
  subjectOrganizationKeys: string[];
  incidentNumber: string | null;
  purpose: string | null;
  basis: string | null;
  consentIds: string[];
  disclosedCategories: string[];
  policyVersion: number | null;
  policyRule: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

export interface AuditFilter {
  from?: Date | null;
  to?: Date | null;
  action?: string | null;
  outcome?: string | null;
  actorSubject?: string | null;
  actorOrganizationKey?: string | null;
  patientId?: string | null;
  incidentNumber?: string | null;
}
