// C18: docs/audit.md is the specification an auditor writes a verifier from. Its worked example is
// recomputed here from the document's own text with a minimal implementation (node:crypto only),
// then inserted into PostgreSQL and verified by the service's verifier and by the independent one.
import { createPublicKey, verify as verifySignature, type JsonWebKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { projectRoot } from '@libs/config/project-root.js';
import { canonicalStoredEventJson } from '@libs/ledger/audit-chain.js';
import { sqlOverPg } from '@libs/database/sql.js';
import { AuditRepository, SEALABLE_EVENTS_SQL, type StoredEvent } from '@libs/ledger/audit.repository.js';
import { verifyAuditLedger } from '@libs/ledger/audit-verifier.js';
import { migrateDatabase } from '@libs/database/migrate.js';
import { MIGRATIONS } from '@migrations/index.js';
import { closeSql, sql, testDatabaseUrl } from './support/database.js';
import { docCanonicalJson, independentVerify, sha256Hex } from './support/independent-audit-verifier.js';

/** The fenced block that follows `<!-- worked-example:NAME -->` in docs/audit.md. */
function block(doc: string, name: string): string {
  const match = new RegExp(`<!-- worked-example:${name} -->\\n\`\`\`[a-z]*\\n([\\s\\S]*?)\\n\`\`\``).exec(doc);
  if (!match) throw new Error(`docs/audit.md has no worked-example block "${name}"`);
  return match[1];
}

describe('docs/audit.md, the worked example', () => {
  let doc: string;
  beforeAll(async () => {
    doc = await readFile(join(projectRoot(), 'docs', 'audit.md'), 'utf8');
  });

  it('recomputes the canonical JSON, the event hash, the head, the checkpoint payload and its signature from the document alone', () => {
    const columns = JSON.parse(block(doc, 'event-columns')) as Record<string, unknown>;
    const details = JSON.parse(block(doc, 'event-details')) as unknown;
    const canonical = docCanonicalJson({ ...columns, details });
    expect(canonical).toBe(block(doc, 'event-canonical'));
    const eventHash = sha256Hex(canonical);
    expect(eventHash).toBe(block(doc, 'event-hash'));
    const head = sha256Hex('0'.repeat(64) + eventHash);
    expect(head).toBe(block(doc, 'head'));

    const payload = {
      v: 1,
      checkpoint: 1,
      firstSequence: '1',
      lastSequence: '2',
      eventCount: 1,
      gaps: ['1'],
      digests: Buffer.from(eventHash.slice(0, 16), 'hex').toString('base64url'),
      previousHead: '0'.repeat(64),
      head,
      sealedAt: JSON.parse(block(doc, 'checkpoint-payload')).sealedAt,
    };
    expect(docCanonicalJson(payload)).toBe(block(doc, 'checkpoint-payload'));

    const jws = block(doc, 'checkpoint-jws');
    const [header, body, signature] = jws.split('.');
    expect(Buffer.from(body, 'base64url').toString('utf8')).toBe(block(doc, 'checkpoint-payload'));
    expect(JSON.parse(Buffer.from(header, 'base64url').toString('utf8'))).toMatchObject({ alg: 'ES256', typ: 'audit-checkpoint+jws' });
    const key = createPublicKey({ key: JSON.parse(block(doc, 'checkpoint-jwk')) as JsonWebKey, format: 'jwk' });
    expect(verifySignature('sha256', Buffer.from(`${header}.${body}`, 'ascii'), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'))).toBe(true);
  });

  it('is what PostgreSQL and the service compute for the same event, and both verifiers accept its checkpoint', async () => {
    const name = `crisis_link_doc_${randomBytes(4).toString('hex')}`;
    await sql(`CREATE DATABASE ${name}`);
    const url = new URL(testDatabaseUrl());
    url.pathname = `/${name}`;
    const db = new pg.Client({ connectionString: url.toString() });
    try {
      await migrateDatabase(url.toString(), MIGRATIONS);
      await db.connect();
      await db.query('SELECT audit_event_ensure_partitions(-60, 60)');
      const c = JSON.parse(block(doc, 'event-columns')) as Record<string, any>;
      await db.query(
        `INSERT INTO audit_event (sequence, id, occurred_at, action, outcome, actor_sub, actor_org, actor_roles, actor_name, patient_ids, subject_org_keys,
           incident_number, purpose, basis, consent_ids, disclosed_categories, policy_version, policy_rule, request_id, details)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20::jsonb)`,
        [c.sequence, c.id, c.occurredAt, c.action, c.outcome, c.actorSub, c.actorOrg, c.actorRoles, c.actorName, c.patientIds, c.subjectOrgKeys,
          c.incidentNumber, c.purpose, c.basis, c.consentIds, c.disclosedCategories, c.policyVersion, c.policyRule, c.requestId, block(doc, 'event-details')],
      );
      const [stored] = (await db.query<StoredEvent>(SEALABLE_EVENTS_SQL, ['1', '2'])).rows;
      expect(stored.details).toBe(block(doc, 'event-details'));
      expect(canonicalStoredEventJson(stored)).toBe(block(doc, 'event-canonical'));

      const jws = block(doc, 'checkpoint-jws');
      const payload = JSON.parse(block(doc, 'checkpoint-payload'));
      await db.query(
        `INSERT INTO audit_checkpoint (checkpoint, first_sequence, last_sequence, event_count, previous_head, head, sealed_at, key_id, jws)
         VALUES (1, 1, 2, 1, $1, $2, $3, 'audit-example', $4)`,
        [payload.previousHead, payload.head, payload.sealedAt, jws],
      );
      const jwks = { keys: [JSON.parse(block(doc, 'checkpoint-jwk'))] };
      const service = await verifyAuditLedger(new AuditRepository().readerOn(sqlOverPg(db)), jwks, {}, { receipts: [jws] });
      expect(service).toMatchObject({ valid: true, eventsChecked: 1, checkpointsChecked: 1, receiptsChecked: 1 });
      expect(await independentVerify(url.toString(), jwks, [jws])).toMatchObject({ valid: true, eventsChecked: 1, checkpointsChecked: 1 });

      // The service reads arrays as PostgreSQL's to_json text; a verifier following the document
      // builds them from the values. Both must give the same bytes for any text a column can hold.
      const awkward = [...Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)), '"', '\\', '/', '\u007f', '\u2028', 'é', '😀', 'Zz', ''];
      await db.query(
        `INSERT INTO audit_event (sequence, occurred_at, action, outcome, actor_sub, actor_org, actor_roles, actor_name, subject_org_keys, disclosed_categories, policy_rule, details)
         VALUES (3, '2026-11-23T19:40:13Z', $1, 'SUCCESS', $2, 'o', $3, $4, $3, $3, $1, $5::jsonb)`,
        [awkward.join(''), awkward.slice(0, 8).join('|'), awkward, awkward.slice(20).join(''), JSON.stringify({ keys: awkward, [awkward.join('')]: 1.25, n: -0.0 })],
      );
      const [service3] = (await db.query<StoredEvent>(SEALABLE_EVENTS_SQL, ['3', '3'])).rows;
      const [raw] = (
        await db.query(
          `SELECT sequence::text AS sequence, id::text AS id, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "occurredAt",
             action, outcome, actor_sub AS "actorSub", actor_org AS "actorOrg", actor_roles AS "actorRoles", actor_name AS "actorName",
             patient_ids::text[] AS "patientIds", subject_org_keys AS "subjectOrgKeys", incident_number AS "incidentNumber", purpose, basis,
             consent_ids::text[] AS "consentIds", disclosed_categories AS "disclosedCategories", policy_version AS "policyVersion",
             policy_rule AS "policyRule", request_id AS "requestId", details::text AS details FROM audit_event WHERE sequence = 3`,
        )
      ).rows;
      expect(canonicalStoredEventJson(service3)).toBe(docCanonicalJson({ ...raw, details: JSON.parse(raw.details) }));
    } finally {
      await db.end();
      await sql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await closeSql();
    }
  });
});
