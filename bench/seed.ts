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
