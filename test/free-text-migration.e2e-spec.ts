// C23: the migration that encrypts enrollment.program_name and consent.expiration_event, over a
// database that already holds rows in plain text: with the data key it encrypts them in place;
// without it, it refuses with a clear message and changes nothing.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { FieldCipher } from '@libs/crypto/field-cipher.js';
import { migrateDatabase } from '@libs/database/migrate.js';
import { EncryptFreeText1795467100000 } from '@migrations/1795467100000-EncryptFreeText.js';
import { MIGRATIONS } from '@migrations/index.js';
import { testDatabaseUrl } from './support/database.js';

const BEFORE = MIGRATIONS.slice(0, MIGRATIONS.indexOf(EncryptFreeText1795467100000));
const PROGRAM = 'Methadone maintenance for Dana Rivera';
const EVENT = 'when Dana Rivera is discharged from methadone maintenance';

describe('EncryptFreeText migration (C23)', () => {
  let admin: pg.Client;
  let url: string;
  let db: pg.Client;
  const cipher = new FieldCipher(FieldCipher.generateKeyFile());

  beforeEach(async () => {
    admin = new pg.Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
    const name = `crisis_link_enc_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${name}`);
    const target = new URL(testDatabaseUrl());
    target.pathname = `/${name}`;
    url = target.toString();
    expect(BEFORE.length).toBeGreaterThan(0);
    await migrateDatabase(url, BEFORE);
    db = new pg.Client({ connectionString: url });
    await db.connect();
    // Rows as the service wrote them before the migration: program name and expiry event in clear.
    const [org] = (await db.query(`INSERT INTO organization (key, name, kind, created_by) VALUES ('riverside', 'Riverside', 'TREATMENT_PROVIDER', 't') RETURNING id`)).rows;
    const [patient] = (
      await db.query(`INSERT INTO patient (organization_id, given_name_enc, family_name_enc, date_of_birth_enc, aliases_enc, created_by) VALUES ($1, 'x', 'x', 'x', 'x', 't') RETURNING id`, [org.id])
    ).rows;
    for (const program of [PROGRAM, 'Second program']) {
      await db.query(
        `INSERT INTO enrollment (patient_id, organization_id, program_name, service_type, status, started_on, care_team_enc, sensitivity_labels, confidentiality, created_by)
         VALUES ($1, $2, $3, 'OPIOID_TREATMENT', 'ACTIVE', '2025-01-01', 'x', '{42CFRPart2,SUD}', 'V', 't')`,
        [patient.id, org.id, program],
      );
    }
    for (const event of [EVENT, null]) {
      await db.query(
        `INSERT INTO consent (lineage_id, version, patient_id, organization_id, purpose, data_categories, effective_from, expires_at, expiration_event,
           signer_name_enc, signer_relationship, signed_at, ack_right_to_revoke, ack_treatment_not_conditioned, ack_redisclosure_restricted, scope_description_enc, recorded_by)
         VALUES (gen_random_uuid(), 1, $1, $2, 'CRISIS_RESPONSE', '{TREATMENT_STATUS}', now(), now() + interval '1 year', $3, 'x', 'SELF', now(), true, true, true, 'x', 't')`,
        [patient.id, org.id, event],
      );
    }
  });

  afterEach(async () => {
    await db.end();
    await admin.query(`DROP DATABASE ${new URL(url).pathname.slice(1)} WITH (FORCE)`);
    await admin.end();
  });

  it('encrypts the existing rows with the key it is given, drops the plain columns, keeps consents immutable', async () => {
    const applied = await migrateDatabase(url, MIGRATIONS, { encryptField: (plain, context) => cipher.encrypt(plain, context) });
    expect(applied).toContain('EncryptFreeText1795467100000');
    const columns = await db.query(`SELECT table_name, column_name FROM information_schema.columns WHERE column_name IN ('program_name', 'expiration_event')`);
    expect(columns.rows).toEqual([]);
    const programs = (await db.query('SELECT program_name_enc FROM enrollment')).rows.map((r) => cipher.decrypt(r.program_name_enc, 'enrollment.program_name'));
    expect(programs.sort()).toEqual([PROGRAM, 'Second program'].sort());
    const events = (await db.query('SELECT expiration_event_enc FROM consent ORDER BY expiration_event_enc NULLS LAST')).rows.map((r) =>
      r.expiration_event_enc === null ? null : cipher.decrypt(r.expiration_event_enc, 'consent.expiration_event'),
    );
    expect(events).toEqual([EVENT, null]);
    const dump = JSON.stringify([(await db.query('SELECT * FROM enrollment')).rows, (await db.query('SELECT * FROM consent')).rows]);
    expect(dump).not.toContain('Dana Rivera');
    // C7: the immutability trigger is back.
    await expect(db.query(`UPDATE consent SET version = 2`)).rejects.toThrow(/immutable/);
    await expect(db.query(`INSERT INTO enrollment (patient_id, organization_id, service_type, status, started_on, care_team_enc, sensitivity_labels, confidentiality, created_by)
      SELECT patient_id, organization_id, service_type, status, started_on, care_team_enc, sensitivity_labels, confidentiality, created_by FROM enrollment LIMIT 1`)).rejects.toThrow(/program_name_enc/);
  });

  it('refuses, with a message naming what is in plain text and what to do, when it has no key; changes nothing', async () => {
    await expect(migrateDatabase(url, MIGRATIONS)).rejects.toThrow(/2 rows of enrollment\.program_name and 1 rows of consent\.expiration_event .*data encryption key.*migration:run/s);
    expect((await db.query('SELECT program_name FROM enrollment ORDER BY program_name')).rows).toEqual([{ program_name: PROGRAM }, { program_name: 'Second program' }]);
    expect((await db.query(`SELECT 1 FROM schema_migration WHERE name = 'EncryptFreeText1795467100000'`)).rows).toEqual([]);
  });
});
