import { createHash, randomUUID } from 'node:crypto';
import { sql } from './database.js';

/**
 * A partnership agreement between a provider and an agency, accepted, written straight into
 * partnership_agreement (the GraphQL to propose and accept one belongs to the agreements work).
 * By default in force from an hour ago with no expiry; `endedAt` ends it.
 */
export async function agreementInForce(
  provider: { id: string },
  agency: { id: string },
  options: { effectiveFrom?: Date; expiresAt?: Date | null; endedAt?: Date | null } = {},
): Promise<string> {
  const effectiveFrom = options.effectiveFrom ?? new Date(Date.now() - 3_600_000);
  const [{ id }] = await sql<{ id: string }>(
    `INSERT INTO partnership_agreement (provider_org_id, agency_org_id, kind, effective_from, expires_at, document_reference, document_sha256,
       signatories, proposed_by_org_id, proposed_by, proposed_at, accepted_by, accepted_at, ended_by, ended_at)
     VALUES ($1, $2, 'MOU', $3, $4, $5, $6, ARRAY['Provider director', 'Agency chief'], $1, 'test-fixture', $3, 'test-fixture', $3,
       CASE WHEN $7::timestamptz IS NULL THEN NULL ELSE 'test-fixture' END, $7)
     RETURNING id`,
    [provider.id, agency.id, effectiveFrom, options.expiresAt ?? null, `mou-${randomUUID().slice(0, 8)}.pdf`, createHash('sha256').update(randomUUID()).digest('hex'), options.endedAt ?? null],
  );
  return id;
}

/** Ends an agreement now, by the database clock. */
export async function endAgreement(id: string): Promise<void> {
  await sql(`UPDATE partnership_agreement SET ended_at = clock_timestamp(), ended_by = 'test-fixture' WHERE id = $1`, [id]);
}
