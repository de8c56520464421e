/**
 * For tests and benchmarks: an agreement between a treatment provider and a responder agency,
 * accepted and in force from yesterday with no end, unless one is in force already. Written
 * straight to the table, like the fixtures' organisations: what it stands for (both admins'
 * propose and accept) is tested through GraphQL in partnerships.e2e-spec.ts.
 * Parameters: $1 provider id, $2 agency id, $3 who (created_by-style label).
 */
export const PARTNERSHIP_IN_FORCE_SQL = `
INSERT INTO partnership_agreement (provider_org_id, agency_org_id, kind, effective_from, document_reference, document_sha256,
  signatories, proposed_by_org_id, proposed_by, proposed_at, accepted_by, accepted_at)
SELECT $1::uuid, $2::uuid, 'DATA_SHARING_AGREEMENT', clock_timestamp() - interval '1 day', 'fixture-agreement',
  repeat('0', 64), ARRAY['Fixture signatory'], $1::uuid, $3, clock_timestamp() - interval '1 day', $3, clock_timestamp() - interval '1 day'
WHERE NOT partnership_in_force($1::uuid, $2::uuid, clock_timestamp())`;

type Kinded = { id: string; kind: string };

/** The (provider, agency) pairs between `made` and the organisations made before it. */
export function partnerPairs(made: Kinded, before: readonly Kinded[]): Array<[providerId: string, agencyId: string]> {
  if (made.kind === 'TREATMENT_PROVIDER') return before.filter((o) => o.kind === 'RESPONDER_AGENCY').map((o) => [made.id, o.id]);
  if (made.kind === 'RESPONDER_AGENCY') return before.filter((o) => o.kind === 'TREATMENT_PROVIDER').map((o) => [o.id, made.id]);
  return [];
}
