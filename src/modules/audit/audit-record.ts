import type { SealableEvent } from '@libs/ledger/audit-chain.js';
import type { AuditIntegrity } from '@libs/ledger/audit-integrity.js';

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
  /** Whether the row is what the ledger sealed (AuditRowIntegrity); set by the service before it is shown. */
  integrity?: AuditIntegrity;
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

/**
 * The row in the form it is hashed in (docs/audit.md): the review reads every column, with the
 * time at microseconds (`sortTime`), so its integrity is checked without reading it again.
 */
export function sealableEventOf(record: AuditRecord): SealableEvent {
  return {
    sequence: record.sequence,
    id: record.id,
    occurredAt: record.sortTime,
    action: record.action,
    outcome: record.outcome,
    actorSub: record.actorSubject,
    actorOrg: record.actorOrganizationKey,
    actorRoles: record.actorRoles,
    actorName: record.actorName,
    patientIds: record.patientIds,
    subjectOrgKeys: record.subjectOrganizationKeys,
    incidentNumber: record.incidentNumber,
    purpose: record.purpose,
    basis: record.basis,
    consentIds: record.consentIds,
    disclosedCategories: record.disclosedCategories,
    policyVersion: record.policyVersion,
    policyRule: record.policyRule,
    requestId: record.requestId,
    details: record.details,
  };
}
