// The ledger's state before verifying (issue 14): the last signed checkpoint and the witnesses
// that hold it, the events not sealed yet, the newest verification the officer may see; and for
// each event, the checkpoint that sealed it. Compliance officers only, every read audited (C16).
import pg from 'pg';
import { AuditSealer } from '@libs/ledger/audit-sealer.js';
import { sql, testDatabaseUrl } from './support/database.js';
import { LOOKUP, lookupInput, openProviderDesk } from './support/scenario.js';
import { TestApp, type TestOrganization, uniqueSub } from './support/test-app.js';

const STATE = `{ auditLedgerState {
  lastCheckpoint { checkpoint firstSequence lastSequence eventCount sealedAt keyId }
  witnessedBy unavailableWitnesses eventsNotSealed oldestNotSealedSeconds
  lastVerification { verifiedAt verifiedBy valid firstInvalidSequence reason fromSequence toSequence } } }`;
const EVENT = 'query($id: ID!) { auditEvent(id: $id) { id sequence integrity sealedBy { checkpoint firstSequence lastSequence sealedAt } } }';

describe("the audit ledger's state", () => {
  let t: TestApp;
  let sealer: AuditSealer;
  let agency: TestOrganization;
  let oversight: TestOrganization;

  beforeAll(async () => {
    t = await TestApp.start();
    sealer = t.app.get(AuditSealer);
    agency = await t.organization('RESPONDER_AGENCY');
    oversight = await t.organization('OVERSIGHT');
  });
  afterAll(() => t.close());

  it('names the last checkpoint, the witnesses holding it and the events waiting, and audits the read', async () => {
    const sub = uniqueSub();
    const token = await t.token('compliance_officer', oversight, { sub });
    await sealer.sealEverythingCommitted();
    let answer = await t.graphql(token, STATE);
    // A sealer of another test file may have committed a checkpoint it has not yet sent to the
    // witness (it sends once committed): asked again a moment later, the witness holds it.
    for (let attempt = 0; attempt < 5 && answer.data?.auditLedgerState.witnessedBy.length === 0; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      answer = await t.graphql(token, STATE);
    }
    expect(answer.errors).toBeUndefined();
    const state = answer.data!.auditLedgerState;
    // Ordered by the bigint column, not by the text alias of the same name.
    const [newest] = await sql<{ checkpoint: string; last_sequence: string }>('SELECT c.checkpoint::text AS checkpoint, c.last_sequence::text AS last_sequence FROM audit_checkpoint c ORDER BY c.checkpoint DESC LIMIT 1');
    // Other test files seal too: the answer is at most as new as the newest checkpoint now.
    expect(state.lastCheckpoint.checkpoint).toBeGreaterThan(0);
    expect(state.lastCheckpoint.checkpoint).toBeLessThanOrEqual(Number(newest.checkpoint));
    expect(BigInt(state.lastCheckpoint.lastSequence)).toBeGreaterThanOrEqual(BigInt(state.lastCheckpoint.firstSequence));
    expect(state.lastCheckpoint.keyId).toBe('test-audit-key');
    expect(Number.isNaN(Date.parse(state.lastCheckpoint.sealedAt))).toBe(false);
    // Outside production the witness is a directory under DATA_DIR; the sealer writes to it before it counts a checkpoint done.
    expect(state.witnessedBy).toEqual(['directory']);
    expect(state.unavailableWitnesses).toEqual([]);
    expect(state.eventsNotSealed).toBeGreaterThanOrEqual(0);
    expect(state.oldestNotSealedSeconds).toBeGreaterThanOrEqual(0);
    const reads = await sql<{ action: string; outcome: string }>('SELECT action, outcome FROM audit_event WHERE actor_sub = $1', [sub]);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((r) => r.action === 'auditLedgerState' && r.outcome === 'SUCCESS')).toBe(true);
  });

  it("shows the newest verification the officer may see: none for a new agency, then their own, never another agency's", async () => {
    const mine = await t.token('compliance_officer', agency, { name: 'Vera Verifier' });
    const before = (await t.graphql(mine, STATE)).data!.auditLedgerState;
    expect(before.lastVerification).toBeNull();

    const verified = (await t.graphql(mine, '{ verifyAuditLog { valid firstInvalidSequence reason } }')).data!.verifyAuditLog;
    const after = (await t.graphql(mine, STATE)).data!.auditLedgerState.lastVerification;
    expect(after).toMatchObject({ verifiedBy: 'Vera Verifier', valid: verified.valid, firstInvalidSequence: verified.firstInvalidSequence, reason: verified.reason, fromSequence: null, toSequence: null });
    expect(Date.now() - Date.parse(after.verifiedAt)).toBeLessThan(60_000);

    const another = await t.token('compliance_officer', await t.organization('RESPONDER_AGENCY'));
    expect((await t.graphql(another, STATE)).data!.auditLedgerState.lastVerification).toBeNull();
    // An oversight body sees every organisation's verifications: at least this one, or a newer one.
    const overseen = (await t.graphql(await t.token('compliance_officer', oversight), STATE)).data!.auditLedgerState.lastVerification;
    expect(Date.parse(overseen.verifiedAt)).toBeGreaterThanOrEqual(Date.parse(after.verifiedAt));
  });

  it('names no checkpoint for an event not sealed yet', async () => {
    // A transaction that took an earlier sequence and stays open holds sealing back (as in audit-descriptions).
    const holder = new pg.Client({ connectionString: testDatabaseUrl() });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT audit_append('holdSealing', 'SUCCESS', 'test:hold', 'test', ARRAY['test'], 'test', '{}', '{}', NULL, NULL, NULL, '{}', '{}', NULL, NULL, NULL, '{}')`);
      const sub = uniqueSub();
      await t.graphql(await t.token('admin', oversight, { sub }), '{ organizations { key } }');
      const [{ id }] = await sql<{ id: string }>('SELECT id::text FROM audit_event WHERE actor_sub = $1', [sub]);
      const event = (await t.graphql(await t.token('compliance_officer', oversight), EVENT, { id })).data!.auditEvent;
      expect(event).toMatchObject({ id, integrity: 'PENDING', sealedBy: null });
      const state = (await t.graphql(await t.token('compliance_officer', oversight), STATE)).data!.auditLedgerState;
      expect(state.eventsNotSealed).toBeGreaterThan(0);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  });

  it('says which checkpoint sealed an event, once it is sealed', async () => {
    const sub = uniqueSub();
    await t.graphql(await t.token('admin', oversight, { sub }), '{ organizations { key } }');
    const [{ id, sequence }] = await sql<{ id: string; sequence: string }>('SELECT id::text, sequence::text FROM audit_event WHERE actor_sub = $1', [sub]);
    await sealer.sealEverythingCommitted();
    const event = (await t.graphql(await t.token('compliance_officer', oversight), EVENT, { id })).data!.auditEvent;
    expect(event).toMatchObject({ id, sequence, integrity: 'VERIFIED' });
    expect(BigInt(event.sealedBy.firstSequence)).toBeLessThanOrEqual(BigInt(sequence));
    expect(BigInt(event.sealedBy.lastSequence)).toBeGreaterThanOrEqual(BigInt(sequence));
    const [row] = await sql<{ checkpoint: string }>('SELECT checkpoint::text FROM audit_checkpoint WHERE first_sequence <= $1 AND last_sequence >= $1', [sequence]);
    expect(event.sealedBy.checkpoint).toBe(Number(row.checkpoint));
  });

  it('names a witness that cannot be read, and still answers the rest', async () => {
    // Port 9 (discard) on the loopback: nothing answers there.
    const unreachable = await TestApp.start({ AUDIT_WITNESS_URL: 'http://127.0.0.1:9/witness' });
    try {
      const officer = await unreachable.token('compliance_officer', await unreachable.organization('OVERSIGHT'));
      const answer = await unreachable.graphql(officer, STATE);
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.auditLedgerState.unavailableWitnesses).toContain('url');
      expect(answer.data!.auditLedgerState.witnessedBy).not.toContain('url');
      expect(answer.data!.auditLedgerState.eventsNotSealed).toBeGreaterThanOrEqual(0);
    } finally {
      await unreachable.close();
    }
  });

  it('names the organisations an event shows: the acting one and those whose records it concerns; none for the service itself', async () => {
    const desk = await openProviderDesk(t);
    const { who } = await desk.consentedPatient([agency]);
    const sub = uniqueSub();
    await t.graphql(await t.token('responder', agency, { sub }), LOOKUP, { input: lookupInput(who) });
    const officer = await t.token('compliance_officer', oversight);
    const NAMES = 'query($filter: AuditEventFilter) { auditEvents(filter: $filter, first: 1) { nodes { id actorOrganizationKey actorOrganizationName subjectOrganizationKeys subjectOrganizationNames } } }';
    const [listed] = (await t.graphql(officer, NAMES, { filter: { actorSubject: sub } })).data!.auditEvents.nodes;
    expect(listed).toMatchObject({ actorOrganizationKey: agency.key, actorOrganizationName: agency.name, subjectOrganizationKeys: [desk.organization.key], subjectOrganizationNames: [desk.organization.name] });
    const one = (await t.graphql(officer, 'query($id: ID!) { auditEvent(id: $id) { actorOrganizationName subjectOrganizationNames } }', { id: listed.id })).data!.auditEvent;
    expect(one).toEqual({ actorOrganizationName: agency.name, subjectOrganizationNames: [desk.organization.name] });
    const [system] = (await t.graphql(officer, NAMES, { filter: { action: 'installDefaultAccessPolicy' } })).data!.auditEvents.nodes;
    expect(system).toMatchObject({ actorOrganizationKey: 'system', actorOrganizationName: null });
  });

  it.each(['responder', 'clinical_responder', 'provider_staff', 'admin'] as const)('refuses %s (compliance officers only, C20)', async (role) => {
    const answer = await t.graphql(await t.token(role, await t.homeOf(role)), STATE);
    expect(answer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(answer.data?.auditLedgerState ?? null).toBeNull();
  });
});
