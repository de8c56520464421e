// Compliance review in plain words (issue 14): every audit action and outcome has a description
// (`AuditEvent.description`), docs/audit.md lists every one that exists, and a row that fails
// verification is flagged wherever it is shown (`AuditEvent.integrity`: VERIFIED | PENDING | FAILED).
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { projectRoot } from '@libs/config/project-root.js';
import { DataAccess } from '@libs/database/data-access.js';
import { eventHash, storedEventHash } from '@libs/ledger/audit-chain.js';
import { AUDIT_OUTCOMES } from '@libs/ledger/audit-event.js';
import { AuditSealer } from '@libs/ledger/audit-sealer.js';
import { AuditRepository, SEALABLE_EVENTS_SQL, type StoredEvent, sealableEventOf } from '@libs/ledger/audit.repository.js';
import { AUDIT_ACTION_WORDS, AUDIT_OUTCOME_WORDS, describeAuditEvent } from '@app/modules/audit/audit-event-description.js';
import { sql, testDatabaseUrl } from './support/database.js';
import { LOOKUP, lookupInput, openProviderDesk, type ProviderDesk } from './support/scenario.js';
import { TestApp, type TestOrganization, uniqueSub } from './support/test-app.js';

/** Actions the service writes itself, not named after an operation of the schema. */
const SERVICE_ACTIONS = ['authenticate', 'installDefaultAccessPolicy', 'patientEnrollments', 'supersedeConsent', 'notifyProgram', 'referralOutcomeDisclosure'];

const EVENTS = `query($filter: AuditEventFilter) { auditEvents(filter: $filter, first: 50) { nodes { id sequence action outcome description integrity } } }`;
const EVENT = 'query($id: ID!) { auditEvent(id: $id) { id description integrity } }';

/** The rows of a `<!-- name -->` table of docs/audit.md, as [code, words]. */
function documentedTable(doc: string, name: string): Array<[string, string]> {
  const match = new RegExp(`<!-- ${name} -->\\n([\\s\\S]*?)<!-- /${name} -->`).exec(doc);
  if (!match) throw new Error(`docs/audit.md has no table ${name}`);
  return match[1]
    .split('\n')
    .filter((line) => /^\| `/.test(line))
    .map((line) => {
      const [, code, words] = /^\| `([^`]+)` \| (.*) \|$/.exec(line)!;
      return [code, words];
    });
}

describe('audit events in plain words, and the integrity of every shown row', () => {
  let t: TestApp;
  let sealer: AuditSealer;
  let desk: ProviderDesk;
  let agency: TestOrganization;
  let oversight: TestOrganization;
  let officer: string;

  beforeAll(async () => {
    t = await TestApp.start();
    sealer = t.app.get(AuditSealer);
    desk = await openProviderDesk(t);
    agency = await t.organization('RESPONDER_AGENCY');
    oversight = await t.organization('OVERSIGHT');
    officer = await t.token('compliance_officer', oversight);
  });
  afterAll(() => t.close());

  it('docs/audit.md lists every action and outcome, in the words the API gives', async () => {
    const doc = await readFile(join(projectRoot(), 'docs', 'audit.md'), 'utf8');
    expect(Object.fromEntries(documentedTable(doc, 'audit-actions'))).toEqual(AUDIT_ACTION_WORDS);
    expect(Object.fromEntries(documentedTable(doc, 'audit-outcomes'))).toEqual(AUDIT_OUTCOME_WORDS);
    expect(Object.keys(AUDIT_OUTCOME_WORDS).sort()).toEqual([...AUDIT_OUTCOMES].sort());
    expect(AUDIT_OUTCOME_WORDS.REFUSED).toMatch(/not valid/);
  });

  it('has words for every operation of the schema (a refusal is recorded under the operation asked for) and for the service\'s own acts', () => {
    const schema = t.app.get(GraphQLSchemaHost).schema;
    const operations = [...Object.keys(schema.getQueryType()!.getFields()), ...Object.keys(schema.getMutationType()!.getFields())];
    const unworded = [...operations, ...SERVICE_ACTIONS].filter((action) => !(action in AUDIT_ACTION_WORDS)).sort();
    expect(unworded).toEqual([]);
    // And the table lists only actions that exist: docs/audit.md's list is the complete one.
    expect(Object.keys(AUDIT_ACTION_WORDS).sort()).toEqual([...new Set([...operations, ...SERVICE_ACTIONS])].sort());
  });

  it('describes an action and its outcome, the legal basis of a disclosure included', () => {
    expect(describeAuditEvent({ action: 'responderLookup', outcome: 'DISCLOSED', basis: 'CONSENT' })).toBe(
      "Looked up a person for an incident. Information was disclosed under the patient's written consent (42 CFR 2.31).",
    );
    expect(describeAuditEvent({ action: 'emergencyAccess', outcome: 'DISCLOSED', basis: 'MEDICAL_EMERGENCY' })).toMatch(/medical emergency \(42 CFR 2\.51\)\.$/);
    expect(describeAuditEvent({ action: 'registerPatient', outcome: 'REFUSED', basis: null })).toMatch(/^Registered a patient\. Refused: the request was not valid/);
    expect(describeAuditEvent({ action: 'someNewerOperation', outcome: 'SUCCESS', basis: null })).toBe('The operation someNewerOperation. Done.');
  });

  it('shows the description of each event in the review, with nothing of the person in it', async () => {
    const { who } = await desk.consentedPatient([agency]);
    const sub = uniqueSub();
    await t.graphql(await t.token('responder', agency, { sub }), LOOKUP, { input: lookupInput(who, { incidentNumber: 'INC-WORDS-1' }) });
    const nodes = (await t.graphql(officer, EVENTS, { filter: { actorSubject: sub } })).data!.auditEvents.nodes;
    expect(nodes).toEqual([expect.objectContaining({ action: 'responderLookup', outcome: 'DISCLOSED', description: expect.stringMatching(/^Looked up a person for an incident\. Information was disclosed under the patient's written consent/) })]);
    expect(JSON.stringify(nodes)).not.toContain(who.familyName);
  });

  it('hashes a shown row exactly as the sealer does (the review reads every column the chain hashes)', async () => {
    const { who } = await desk.consentedPatient([agency]);
    const sub = uniqueSub();
    await t.graphql(await t.token('responder', agency, { sub, name: 'Zoë "Z" O\'Hara\t' }), LOOKUP, { input: lookupInput(who) });
    const [{ sequence }] = await sql<{ sequence: string }>('SELECT sequence::text AS sequence FROM audit_event WHERE actor_sub = $1', [sub]);
    const stored = await sql<StoredEvent>(SEALABLE_EVENTS_SQL, [sequence, sequence]);
    const repository = t.app.get(AuditRepository);
    // The review's own read, unscoped (the verifier's system act reaches every row).
    const page = await t.app.get(DataAccess).forSystem('verifyAuditLedger').transaction((db) => repository.page(db, { actorSubject: sub }, 5, null));
    const record = page.items[0];
    expect(eventHash(sealableEventOf(record))).toBe(storedEventHash(stored[0]));
  });

  it('flags a row PENDING until it is sealed, VERIFIED once it is, FAILED when it no longer matches what was sealed', async () => {
    // A transaction that took an earlier sequence and stays open holds sealing back, so the row is surely not sealed yet.
    const holder = new pg.Client({ connectionString: testDatabaseUrl() });
    await holder.connect();
    const sub = uniqueSub();
    let id: string;
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT audit_append('holdSealing', 'SUCCESS', 'test:hold', 'test', ARRAY['test'], 'test', '{}', '{}', NULL, NULL, NULL, '{}', '{}', NULL, NULL, NULL, '{}')`);
      await t.graphql(await t.token('admin', oversight, { sub }), '{ organizations { key } }');
      const pending = (await t.graphql(officer, EVENTS, { filter: { actorSubject: sub } })).data!.auditEvents.nodes;
      expect(pending).toEqual([expect.objectContaining({ action: 'organizations', integrity: 'PENDING', description: 'Listed the organisations. Done.' })]);
      id = pending[0].id;
      expect((await t.graphql(officer, EVENT, { id: id! })).data!.auditEvent.integrity).toBe('PENDING');
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    await sealer.sealEverythingCommitted();
    expect((await t.graphql(officer, EVENTS, { filter: { actorSubject: sub } })).data!.auditEvents.nodes[0].integrity).toBe('VERIFIED');
    expect((await t.graphql(officer, EVENT, { id: id! })).data!.auditEvent.integrity).toBe('VERIFIED');

    // What someone who owns the database could do with triggers off; put back at once.
    const [{ details }] = await sql<{ details: string }>('SELECT details::text AS details FROM audit_event WHERE id = $1', [id!]);
    const attacker = new pg.Client({ connectionString: testDatabaseUrl() });
    await attacker.connect();
    await attacker.query("SET session_replication_role = 'replica'");
    try {
      await attacker.query(`UPDATE audit_event SET details = '{"count": 100000}' WHERE id = $1`, [id!]);
      const altered = (await t.graphql(officer, EVENTS, { filter: { actorSubject: sub } })).data!.auditEvents.nodes;
      expect(altered[0].integrity).toBe('FAILED');
      expect((await t.graphql(officer, EVENT, { id: id! })).data!.auditEvent.integrity).toBe('FAILED');
    } finally {
      await attacker.query('UPDATE audit_event SET details = $2::jsonb WHERE id = $1', [id!, details]);
      await attacker.end();
    }
    expect((await t.graphql(officer, EVENT, { id: id! })).data!.auditEvent.integrity).toBe('VERIFIED');
  });
});
