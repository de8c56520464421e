import { randomUUID } from 'node:crypto';
import type { FieldCipher } from '@libs/crypto/field-cipher.js';
import { matchKeyInputs } from '@app/modules/patients/identity-normalizer.js';
import { describeScope } from '@app/modules/consents/consent-wording.js';
import type pg from 'pg';

export interface SeededPerson {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  consented: boolean;
}

const GIVEN = ['Dana', 'Sam', 'Alex', 'Jordan', 'Casey', 'Riley', 'Morgan', 'Avery', 'Quinn', 'Jamie', 'Taylor', 'Reese', 'Drew', 'Parker', 'Rowan', 'Sage'];
const FAMILY = ['Rivera', 'Okafor', 'Chen', 'Nguyen', 'Garcia', 'Smith', 'Kowalski', 'Haddad', 'Ivanova', 'Mensah', 'Tanaka', 'Silva', 'Brown', 'Dubois', 'Khan', 'Olsen'];

function pick<T>(list: T[], i: number): T {
  return list[i % list.length];
}

/** A deterministic, invented identity for index i; the family name makes it unique. */
export function identity(i: number): { givenName: string; familyName: string; dateOfBirth: string } {
  const year = 1940 + (i % 65);
  const day = 1 + (Math.floor(i / 65) % 28);
  const month = 1 + (Math.floor(i / (65 * 28)) % 12);
  return {
    givenName: pick(GIVEN, Math.floor(i / 7)),
    familyName: `${pick(FAMILY, i)}-${i.toString(36)}`,
    dateOfBirth: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
  };
}

/** One batch's rows, column by column, as the INSERT ... SELECT FROM unnest(...) statements take them. */
interface BatchColumns {
  patients: unknown[][];
  keys: unknown[][];
  enrollments: unknown[][];
  consents: unknown[][];
}

const CARE_TEAM = [{ name: 'Jordan Lee', role: 'Case manager', phone: '+1 555 0100 201', afterHoursPhone: null, hours: 'Mon-Fri' }];
const CATEGORIES = ['TREATMENT_STATUS', 'CARE_TEAM_CONTACT', 'ENGAGEMENT_NOTES'] as const;

/** Person i, encrypted and blind-indexed exactly as the service does, added to the batch's columns. */
function addPerson(columns: BatchColumns, cipher: FieldCipher, i: number, provider: { id: string; name: string }, agency: { name: string }): SeededPerson {
  const who = identity(i);
  const patientId = randomUUID();
  const consented = i % 2 === 0;
  const { patients, keys, enrollments, consents } = columns;
  const patientRow = [patientId, provider.id, cipher.encrypt(who.givenName, 'patient.given_name'), cipher.encrypt(who.familyName, 'patient.family_name'), cipher.encrypt(who.dateOfBirth, 'patient.date_of_birth'), cipher.encryptJson([], 'patient.aliases')];
  patientRow.forEach((value, column) => patients[column].push(value));
  for (const input of matchKeyInputs({ ...who, aliases: [] })) [cipher.blindIndex(input), patientId, provider.id].forEach((value, column) => keys[column].push(value));
  const enrollmentRow = [patientId, provider.id, cipher.encryptJson(CARE_TEAM, 'enrollment.care_team'), cipher.encrypt('Calm, slow approach.', 'enrollment.engagement_notes'), cipher.encrypt('Bench program', 'enrollment.program_name')];
  enrollmentRow.forEach((value, column) => enrollments[column].push(value));
  if (consented) {
    const scope = describeScope({ givenName: who.givenName, program: provider.name, categories: [...CATEGORIES], purpose: 'CRISIS_RESPONSE', recipients: [agency.name], expiresOn: '2030-01-01', expirationEvent: null });
    const consentRow = [randomUUID(), patientId, provider.id, cipher.encrypt(scope, 'consent.scope_description'), cipher.encrypt(`${who.givenName} ${who.familyName}`, 'consent.signer_name')];
    consentRow.forEach((value, column) => consents[column].push(value));
  }
  return { ...who, consented };
}

async function insertBatch(client: pg.PoolClient, columns: BatchColumns, agencyId: string): Promise<void> {
  await client.query(
    `INSERT INTO patient (id, organization_id, given_name_enc, family_name_enc, date_of_birth_enc, aliases_enc, created_by)
     SELECT *, 'bench' FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[])`,
    columns.patients,
  );
  await client.query(`INSERT INTO patient_match_key (match_key, patient_id, organization_id) SELECT * FROM unnest($1::text[], $2::uuid[], $3::uuid[]) ON CONFLICT DO NOTHING`, columns.keys);
  await client.query(
    `INSERT INTO enrollment (patient_id, organization_id, program_name_enc, service_type, status, started_on, care_team_enc, engagement_notes_enc, sensitivity_labels, confidentiality, created_by)
     SELECT p, o, pn, 'SUD_TREATMENT', 'ACTIVE', '2025-01-01', c, n, ARRAY['42CFRPart2','SUD'], 'V', 'bench'
     FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[]) AS t(p, o, c, n, pn)`,
    columns.enrollments,
  );
  await client.query(
    `INSERT INTO consent (id, lineage_id, version, patient_id, organization_id, purpose, data_categories, effective_from, expires_at,
       signer_name_enc, signer_relationship, signed_at, ack_right_to_revoke, ack_treatment_not_conditioned, ack_redisclosure_restricted,
       scope_description_enc, recorded_by)
     SELECT id, id, 1, p, o, 'CRISIS_RESPONSE', ARRAY['TREATMENT_STATUS','CARE_TEAM_CONTACT','ENGAGEMENT_NOTES'], now() - interval '1 day',
       '2030-01-01T00:00:00Z', n, 'SELF', now() - interval '1 day', true, true, true, s, 'bench'
     FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[]) AS t(id, p, o, s, n)`,
    columns.consents,
  );
  await client.query(`INSERT INTO consent_recipient (consent_id, organization_id) SELECT unnest($1::uuid[]), $2`, [columns.consents[0], agencyId]);
}

/**
 * Seeds patients straight into the database (the services would take minutes for 10,000):
 * identifiers encrypted and blind-indexed exactly as the service does, one active enrollment
 * each, and a crisis-response consent naming `agency` for every other patient.
 */
export async function seedPatients(
  pool: pg.Pool,
  cipher: FieldCipher,
  providers: Array<{ id: string; name: string }>,
  agency: { id: string; name: string },
  count: number,
): Promise<SeededPerson[]> {
  const people: SeededPerson[] = [];
  const batch = 500;
  for (let start = 0; start < count; start += batch) {
    const columns: BatchColumns = { patients: [[], [], [], [], [], []], keys: [[], [], []], enrollments: [[], [], [], [], []], consents: [[], [], [], [], []] };
    for (let i = start; i < Math.min(count, start + batch); i++) people.push(addPerson(columns, cipher, i, providers[i % providers.length], agency));
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await insertBatch(client, columns, agency.id);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  }
  await pool.query('ANALYZE');
  return people;
}

/** A blind index's shape (base64url of 32 bytes) computed in SQL from a text: for people no lookup asks for. */
const FILLER_KEY = (text: string) => `rtrim(translate(encode(sha256(convert_to(${text}, 'UTF8')), 'base64'), '+/', '-_'), '=')`;

/**
 * People `from` to `to` − 1 written by SQL alone (INSERT … SELECT generate_series), for the size
 * of the tables: a million in about a minute, where encrypting each in JavaScript would take
 * many. The benchmark never looks them up, so what they hold only has to have the shape of the
 * real thing: their identifiers are one real ciphertext of a filler identity (never decrypted),
 * their match keys a SHA-256 in the blind index's form (base64url, 43 characters: to the B-tree,
 * as random as an HMAC), one active enrollment each and, for every other one, a crisis-response
 * consent naming `agency`, as seedPatients writes them.
 */
export async function seedFillerPatients(
  pool: pg.Pool,
  cipher: FieldCipher,
  providers: Array<{ id: string }>,
  agency: { id: string },
  from: number,
  to: number,
): Promise<void> {
  const sealed = (value: string, context: string) => cipher.encrypt(value, context);
  const template = {
    given: sealed('Filler', 'patient.given_name'),
    family: sealed('Filler-person', 'patient.family_name'),
    born: sealed('1970-01-01', 'patient.date_of_birth'),
    aliases: cipher.encryptJson([], 'patient.aliases'),
    careTeam: cipher.encryptJson(CARE_TEAM, 'enrollment.care_team'),
    notes: sealed('Calm, slow approach.', 'enrollment.engagement_notes'),
    program: sealed('Bench program', 'enrollment.program_name'),
    scope: sealed('Filler consent scope, as long as a real one roughly: treatment status, care team contact, engagement notes.', 'consent.scope_description'),
    signer: sealed('Filler person', 'consent.signer_name'),
  };
  const ids = providers.map((p) => p.id);
  const id = (kind: string) => `md5('bench-filler-${kind}-' || g)::uuid`;
  const batch = 100_000;
  for (let start = from; start < to; start += batch) {
    const end = Math.min(to, start + batch) - 1;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const range = [start, end];
      await client.query(
        `INSERT INTO patient (id, organization_id, given_name_enc, family_name_enc, date_of_birth_enc, aliases_enc, created_by)
         SELECT ${id('patient')}, ($3::uuid[])[1 + g % 3], $4, $5, $6, $7, 'bench' FROM generate_series($1::int, $2::int) g`,
        [...range, ids, template.given, template.family, template.born, template.aliases],
      );
      await client.query(
        `INSERT INTO patient_match_key (match_key, patient_id, organization_id)
         SELECT ${FILLER_KEY(`'bench-filler-key-' || g`)}, ${id('patient')}, ($3::uuid[])[1 + g % 3] FROM generate_series($1::int, $2::int) g`,
        [...range, ids],
      );
      await client.query(
        `INSERT INTO enrollment (patient_id, organization_id, program_name_enc, service_type, status, started_on, care_team_enc, engagement_notes_enc, sensitivity_labels, confidentiality, created_by)
         SELECT ${id('patient')}, ($3::uuid[])[1 + g % 3], $6, 'SUD_TREATMENT', 'ACTIVE', '2025-01-01', $4, $5, ARRAY['42CFRPart2','SUD'], 'V', 'bench'
         FROM generate_series($1::int, $2::int) g`,
        [...range, ids, template.careTeam, template.notes, template.program],
      );
      await client.query(
        `INSERT INTO consent (id, lineage_id, version, patient_id, organization_id, purpose, data_categories, effective_from, expires_at,
           signer_name_enc, signer_relationship, signed_at, ack_right_to_revoke, ack_treatment_not_conditioned, ack_redisclosure_restricted,
           scope_description_enc, recorded_by)
         SELECT ${id('consent')}, ${id('consent')}, 1, ${id('patient')}, ($3::uuid[])[1 + g % 3], 'CRISIS_RESPONSE',
           ARRAY['TREATMENT_STATUS','CARE_TEAM_CONTACT','ENGAGEMENT_NOTES'], now() - interval '1 day', '2030-01-01T00:00:00Z',
           $4, 'SELF', now() - interval '1 day', true, true, true, $5, 'bench'
         FROM generate_series($1::int, $2::int) g WHERE g % 2 = 0`,
        [...range, ids, template.signer, template.scope],
      );
      await client.query(`INSERT INTO consent_recipient (consent_id, organization_id) SELECT ${id('consent')}, $3 FROM generate_series($1::int, $2::int) g WHERE g % 2 = 0`, [
        ...range,
        agency.id,
      ]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  }
  await pool.query('ANALYZE');
}

/**
 * Accepted partnership agreements (a data-sharing agreement in force since yesterday, no expiry)
 * between each provider and the agency, so that a lookup that checks partnership_in_force still
 * discloses.
 */
export async function seedPartnerships(pool: pg.Pool, providers: Array<{ id: string }>, agency: { id: string }): Promise<void> {
  for (const provider of providers) {
    await pool.query(
      `INSERT INTO partnership_agreement (provider_org_id, agency_org_id, kind, effective_from, document_reference, document_sha256, signatories,
         proposed_by_org_id, proposed_by, accepted_by, accepted_at)
       VALUES ($1, $2, 'DATA_SHARING_AGREEMENT', now() - interval '1 day', 'bench agreement', repeat('0', 64), ARRAY['Bench signatory'], $1, 'bench', 'bench', now() - interval '1 day')`,
      [provider.id, agency.id],
    );
  }
}

/**
 * `count` audit events over the last 12 months before now − 1 hour, written by SQL as the append
 * functions would (bench:audit's generator): one in four a lookup by one of the benchmark's
 * `responders` (so their rate-limit count has a history to skip), the rest by 2,000 other
 * actors. Written before the service starts; its sealer then chains them as it chains any
 * backlog (docs/audit.md), so the ledger stays valid.
 */
export async function seedAuditEvents(pool: pg.Pool, agencyKey: string, responders: number, count: number, progress: (done: number) => void = () => undefined): Promise<void> {
  await pool.query('SELECT audit_event_ensure_partitions(-12, 3)');
  const batch = 250_000;
  for (let done = 0; done < count; done += batch) {
    const n = Math.min(batch, count - done);
    await pool.query(
      `INSERT INTO audit_event (occurred_at, action, outcome, actor_sub, actor_org, actor_roles, actor_name, patient_ids,
         subject_org_keys, incident_number, purpose, basis, consent_ids, disclosed_categories, policy_version, policy_rule, details)
       SELECT now() - interval '365 days' + make_interval(secs => ($1::bigint + g)::float8 / $2::bigint * (365 * 86400 - 3600)),
         CASE WHEN g % 4 = 0 THEN 'responderLookup' WHEN g % 4 = 1 THEN 'patients' WHEN g % 4 = 2 THEN 'responderLookup' ELSE 'consent' END,
         CASE WHEN g % 4 = 1 OR g % 4 = 3 THEN 'SUCCESS' ELSE 'NOT_DISCLOSED' END,
         CASE WHEN g % 4 = 0 THEN 'bench-responder-' || ((g / 4) % $5::int) ELSE 'bench-actor-' || (g % 2000) END,
         $3, ARRAY['responder'], 'Bench Actor', '{}'::uuid[], '{}'::text[],
         'BENCH-' || (g % 10000), 'CRISIS_RESPONSE', 'CONSENT', '{}', '{}', 1, 'responder@1#0',
         jsonb_build_object('searchedIdentity', md5(g::text))
       FROM generate_series(1, $4::bigint) AS g`,
      [done, count, agencyKey, n, responders],
    );
    progress(done + n);
  }
  // What autovacuum would have done by now on a live system.
  await pool.query('VACUUM ANALYZE audit_event');
}
