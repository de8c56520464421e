import { Injectable } from '@nestjs/common';
import type { ScopeColumn, SqlScope } from '@libs/authorization/sql-scope.js';
import type { Tx } from '@libs/database/transaction-runner.js';
import type { AuditFilter, AuditRecord } from './audit-record.js';

/** Where each AuditEvent policy condition lives, for SQL scoping (CONVENTIONS rule 3). */
export const AUDIT_SCOPE_COLUMNS: Record<string, ScopeColumn> = {
  actorOrganizationKey: 'e.actor_org',
  subjectOrganizationKeys: { arrayContains: 'e.subject_org_keys' },
};

const SELECT = `SELECT e.id::text AS id, e.sequence::text AS sequence, e.occurred_at AS "occurredAt",
  to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "sortTime",
  e.action, e.outcome, e.actor_sub AS "actorSubject", e.actor_org AS "actorOrganizationKey", e.actor_roles AS "actorRoles",
  e.actor_name AS "actorName", e.patient_ids::text[] AS "patientIds", e.subject_org_keys AS "subjectOrganizationKeys",
  e.incident_number AS "incidentNumber", e.purpose, e.basis, e.consent_ids::text[] AS "consentIds",
  e.disclosed_categories AS "disclosedCategories", e.policy_version AS "policyVersion", e.policy_rule AS "policyRule",
  e.request_id AS "requestId", e.details
FROM audit_event e`;

/** All SQL of the audit review: filtered, scoped, newest first, keyset-paged. */
@Injectable()
export class AuditEventsRepository {
  async page(tx: Tx, scope: SqlScope, filter: AuditFilter, limit: number, after: [string, string] | null): Promise<{ items: AuditRecord[]; hasNextPage: boolean }> {
    const params: unknown[] = [...scope.params];
    const where: string[] = [`(${scope.sql})`];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.from) add((p) => `e.occurred_at >= ${p}`, filter.from);
    if (filter.to) add((p) => `e.occurred_at < ${p}`, filter.to);
    if (filter.action) add((p) => `e.action = ${p}`, filter.action);
    if (filter.outcome) add((p) => `e.outcome = ${p}`, filter.outcome);
    if (filter.actorSubject) add((p) => `e.actor_sub = ${p}`, filter.actorSubject);
    if (filter.actorOrganizationKey) add((p) => `e.actor_org = ${p}`, filter.actorOrganizationKey);
    // A patient's events are those of every record that answers as it: merged ones too (audit rows are never rewritten).
    if (filter.patientId) add((p) => `e.patient_ids && patient_family(${p}::uuid)`, filter.patientId);
    if (filter.incidentNumber) add((p) => `e.incident_number = ${p}`, filter.incidentNumber);
    if (after) {
      params.push(after[0], after[1]);
      where.push(`(e.occurred_at, e.sequence) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`);
    }
    params.push(limit + 1);
    // A patient's events are few and sit anywhere in time: find them through the GIN index first,
    // rather than let the planner walk the time index backwards through every partition.
    const query = filter.patientId
      ? `WITH matching AS MATERIALIZED (${SELECT} WHERE ${where.join(' AND ')})
         SELECT * FROM matching ORDER BY "occurredAt" DESC, sequence::bigint DESC LIMIT $${params.length}`
      : `${SELECT} WHERE ${where.join(' AND ')} ORDER BY e.occurred_at DESC, e.sequence DESC LIMIT $${params.length}`;
    const rows: AuditRecord[] = await tx.query(query, params);
    return { items: rows.slice(0, limit), hasNextPage: rows.length > limit };
  }

  async findById(tx: Tx, scope: SqlScope, id: string): Promise<AuditRecord | null> {
    const rows: AuditRecord[] = await tx.query(`${SELECT} WHERE (${scope.sql}) AND e.id = $${scope.params.length + 1}::uuid`, [...scope.params, id]);
    return rows[0] ?? null;
  }

  /** Disclosures of a patient (consent-based and emergency) — under any record merged into it too — oldest first, in a time window. */
  async disclosuresOf(tx: Tx, patientId: string, from: Date, to: Date): Promise<AuditRecord[]> {
    return tx.query(
      `WITH matching AS MATERIALIZED (
         ${SELECT} WHERE e.patient_ids && patient_family($1::uuid) AND e.outcome = 'DISCLOSED'
           AND e.action IN ('responderLookup', 'emergencyAccess') AND e.occurred_at >= $2 AND e.occurred_at < $3)
       SELECT * FROM matching ORDER BY "occurredAt", sequence::bigint`,
      [patientId, from, to],
    );
  }
}
