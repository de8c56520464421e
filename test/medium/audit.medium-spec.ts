// AuditRepository's statements against the real PostgreSQL: appends and the rate limit counted
// from them (C16, C17), the scoped review (C20) and the sealed ledger's reads. The ledger is
// shared by every test running: checkpoints written here are rolled back.
import { randomUUID } from 'node:crypto';
import type { AccessScope } from '@libs/database/data-access.js';
import { AuditRepository, type NewCheckpoint } from '@libs/ledger/audit.repository.js';
import { DISCLOSURE_ACTIONS } from '@app/modules/responder/lookup-decision.js';
import { sql } from '../support/database.js';
import { Medium, type MediumOrganization } from './support/medium.js';

describe('the audit ledger (medium)', () => {
  const m = Medium.forThisFile();
  const audit = m.lazy(AuditRepository);
  let provider: MediumOrganization;
  beforeAll(async () => ([provider] = await m.organizations('TREATMENT_PROVIDER')));

  const staff = async (organization = provider) => m.data.forCaller(await m.actor('provider_staff', organization, ['read', 'Patient']));
  const officer = async (organization: MediumOrganization) => m.data.forCaller(await m.actor('compliance_officer', organization, ['read', 'AuditEvent']));
  const append = (scope: AccessScope, action: string, extra: Record<string, unknown> = {}) => scope.transaction((db) => audit.append(db, { action, outcome: 'SUCCESS', ...extra }));

  describe('AuditRepository.append', () => {
    it('appends an event naming the scope as its actor, in the transaction of the scope', async () => {
      const scope = await staff();
      const appended = await append(scope, 'patient', { patientIds: [randomUUID()], details: { found: false } });
      const [row] = await sql<Record<string, unknown>>('SELECT sequence::text, action, actor_sub, actor_org, actor_roles, policy_rule, request_id, details FROM audit_event WHERE id = $1', [appended.id]);
      expect(row).toEqual({
        sequence: appended.sequence,
        action: 'patient',
        actor_sub: scope.auditActor.sub,
        actor_org: provider.key,
        actor_roles: ['provider_staff'],
        policy_rule: scope.auditActor.policyRule,
        request_id: scope.auditActor.requestId,
        details: { found: false },
      });
      expect(scope.auditActor.policyRule).toMatch(/^provider_staff@\d+#\d+$/);
    });

    it('rolls back with the transaction it is part of (C17)', async () => {
      const id = await m.rolledBack(await staff(), async (db) => (await audit.append(db, { action: 'patient', outcome: 'SUCCESS' })).id);
      expect(await sql('SELECT 1 FROM audit_event WHERE id = $1', [id])).toEqual([]);
    });
  });

  describe('AuditRepository.appendWithinLimit', () => {
    it('appends attempts up to the limit, then a RATE_LIMITED event without the disclosure instead', async () => {
      const scope = m.data.forCaller(await m.actor('responder', await m.organization('RESPONDER_AGENCY'), ['lookup', 'ResponderView']));
      const attempt = () => scope.autocommit((db) => audit.appendWithinLimit(db, { action: 'responderLookup', outcome: 'DISCLOSED', patientIds: [randomUUID()], disclosedCategories: ['TREATMENT_STATUS'] }, 2, 3600));
      const results = [await attempt(), await attempt(), await attempt()];
      expect(results.map((r) => r.rateLimited)).toEqual([false, false, true]);
      const rows = await sql<{ outcome: string; patient_ids: string[]; disclosed_categories: string[] }>('SELECT outcome, patient_ids, disclosed_categories FROM audit_event WHERE actor_sub = $1 ORDER BY sequence', [scope.auditActor.sub]);
      expect(rows.map((r) => [r.outcome, r.patient_ids.length, r.disclosed_categories.length])).toEqual([
        ['DISCLOSED', 1, 1],
        ['DISCLOSED', 1, 1],
        ['RATE_LIMITED', 0, 0],
      ]);
    });

    // Issue 16: the count is a ring of each person's last `limit` counted attempts, kept from the ledger.
    const lookupScope = async () => m.data.forCaller(await m.actor('responder', await m.organization('RESPONDER_AGENCY'), ['lookup', 'ResponderView']));
    const tryOnce = (scope: AccessScope, limit: number, windowSeconds = 3600) =>
      scope.autocommit(async (db) => (await audit.appendWithinLimit(db, { action: 'responderLookup', outcome: 'NOT_DISCLOSED' }, limit, windowSeconds)).rateLimited);

    it('counts events appended by any path (a refusal too), and attempts made before the first count', async () => {
      const scope = await lookupScope();
      await scope.transaction((db) => audit.append(db, { action: 'responderLookup', outcome: 'REFUSED' }));
      expect(await tryOnce(scope, 3)).toBe(false);
      await scope.transaction((db) => audit.append(db, { action: 'responderLookup', outcome: 'DENIED' }));
      expect(await tryOnce(scope, 3)).toBe(true);
      expect(await tryOnce(scope, 3)).toBe(true);
    });

    it('counts again from the ledger when the limit changes', async () => {
      const scope = await lookupScope();
      expect([await tryOnce(scope, 5), await tryOnce(scope, 5), await tryOnce(scope, 5)]).toEqual([false, false, false]);
      expect(await tryOnce(scope, 3)).toBe(true);
      expect(await tryOnce(scope, 4)).toBe(false);
      expect(await tryOnce(scope, 4)).toBe(true);
    });

    it('lets a person in again once their oldest counted attempt leaves the sliding window', async () => {
      const scope = await lookupScope();
      expect([await tryOnce(scope, 2, 2), await tryOnce(scope, 2, 2), await tryOnce(scope, 2, 2)]).toEqual([false, false, true]);
      await new Promise((resolve) => setTimeout(resolve, 2100));
      expect([await tryOnce(scope, 2, 2), await tryOnce(scope, 2, 2), await tryOnce(scope, 2, 2)]).toEqual([false, false, true]);
    });

    it('counts exactly under parallel attempts', async () => {
      const scope = await lookupScope();
      const results = await Promise.all(Array.from({ length: 12 }, () => tryOnce(scope, 5)));
      expect(results.filter((limited) => !limited)).toHaveLength(5);
    });
  });

  describe('AuditRepository.retryAfterSeconds', () => {
    it('says when the oldest counted attempt leaves the window', async () => {
      const scope = await staff();
      await append(scope, 'mediumAttempt');
      await append(scope, 'mediumAttempt');
      const seconds = await scope.autocommit((db) => audit.retryAfterSeconds(db, scope.auditActor.sub, 'mediumAttempt', 2, 600));
      expect(seconds).toBeGreaterThanOrEqual(590);
      expect(seconds).toBeLessThanOrEqual(600);
    });
  });

  describe('AuditRepository.ensurePartitions', () => {
    it('creates the months ahead that are missing, and none a second time', async () => {
      const system = m.data.forSystem('maintainAuditPartitions');
      await system.transaction((db) => audit.ensurePartitions(db, 0, 3));
      expect(await system.transaction((db) => audit.ensurePartitions(db, 0, 3))).toBe(0);
    });
  });

  describe('AuditRepository.page', () => {
    it('pages the events the scope may read, newest first, by every filter', async () => {
      const organization = await m.organization('TREATMENT_PROVIDER');
      const scope = await staff(organization);
      const patientId = randomUUID();
      const a = await append(scope, 'mediumFirst', { incidentNumber: 'INC-MEDIUM-A' });
      // A few milliseconds apart, so that b's time in JavaScript's milliseconds still comes after a's microseconds.
      await new Promise((resolve) => setTimeout(resolve, 5));
      const b = await append(scope, 'mediumSecond', { patientIds: [patientId] });
      const c = await m.data.forSystem('seedDemoData').transaction((db) => audit.append(db, { action: 'mediumThird', outcome: 'DENIED', subjectOrganizationKeys: [organization.key] }));
      await append(await staff(), 'mediumElsewhere');
      const reader = await officer(organization);
      const ids = async (filter: Record<string, unknown>, limit = 10) => (await reader.transaction((db) => audit.page(db, filter, limit, null))).items.map((r) => r.id);
      const since = { from: new Date(a.occurredAt.getTime() - 1) };
      expect(await ids(since)).toEqual(expect.arrayContaining([c.id, b.id, a.id]));
      expect((await ids(since)).slice(0, 3)).toEqual([c.id, b.id, a.id]);
      expect(await ids({ ...since, action: 'mediumSecond' })).toEqual([b.id]);
      expect(await ids({ ...since, outcome: 'DENIED' })).toEqual([c.id]);
      expect(await ids({ ...since, actorSubject: scope.auditActor.sub })).toEqual([b.id, a.id]);
      expect(await ids({ ...since, actorOrganizationKey: 'system', action: 'mediumThird' })).toEqual([c.id]);
      expect(await ids({ patientId })).toEqual([b.id]);
      expect(await ids({ ...since, incidentNumber: 'INC-MEDIUM-A' })).toEqual([a.id]);
      // A bound 1 ms after a's millisecond: a (microseconds within it) is before it, b (5 ms later) is not.
      expect(await ids({ ...since, to: new Date(a.occurredAt.getTime() + 1) })).toEqual([a.id]);
      const first = await reader.transaction((db) => audit.page(db, since, 1, null));
      const next = await reader.transaction((db) => audit.page(db, since, 1, [first.items[0].sortTime, first.items[0].sequence]));
      expect([first.hasNextPage, next.items.map((r) => r.id)]).toEqual([true, [b.id]]);
      expect(await (await officer(provider)).transaction(async (db) => (await audit.page(db, { action: 'mediumFirst', actorSubject: scope.auditActor.sub }, 10, null)).items)).toEqual([]);
    });
  });

  describe('AuditRepository.findById', () => {
    it('reads an event the scope may read, and nothing of another organisation or a malformed id', async () => {
      const scope = await staff();
      const event = await append(scope, 'mediumFind');
      expect((await (await officer(provider)).transaction((db) => audit.findById(db, event.id)))?.actorSubject).toBe(scope.auditActor.sub);
      expect(await (await officer(await m.organization('TREATMENT_PROVIDER'))).transaction((db) => audit.findById(db, event.id))).toBeNull();
      expect(await (await officer(provider)).transaction((db) => audit.findById(db, 'x'))).toBeNull();
    });
  });

  describe('AuditRepository.disclosuresOf', () => {
    it('reads the DISCLOSED events of a patient, oldest first, within the window', async () => {
      const patientId = randomUUID();
      const responder = m.data.forCaller(await m.actor('responder', await m.organization('RESPONDER_AGENCY'), ['lookup', 'ResponderView']));
      const one = await append(responder, 'responderLookup', { outcome: 'DISCLOSED', patientIds: [patientId] });
      await append(responder, 'responderLookup', { outcome: 'NOT_DISCLOSED', patientIds: [patientId] });
      const two = await append(responder, 'emergencyAccess', { outcome: 'DISCLOSED', patientIds: [patientId] });
      const found = await responder.transaction((db) => audit.disclosuresOf(db, patientId, DISCLOSURE_ACTIONS, new Date(Date.now() - 600_000), new Date(Date.now() + 60_000)));
      expect(found.map((r) => r.id)).toEqual([one.id, two.id]);
      const before = await responder.transaction((db) => audit.disclosuresOf(db, patientId, DISCLOSURE_ACTIONS, new Date(0), one.occurredAt));
      expect(before).toEqual([]);
    });
  });

  describe('AuditRepository.sealableEvents', () => {
    it('reads events as they are hashed: text, microsecond UTC times, arrays as JSON text', async () => {
      const event = await append(await staff(), 'mediumSealable', { patientIds: [], details: { b: 1, a: 'x' } });
      const [stored] = await m.data.forSystem('sealAuditLedger').autocommit((db) => audit.sealableEvents(db, BigInt(event.sequence), BigInt(event.sequence)));
      expect(stored).toMatchObject({ sequence: event.sequence, id: event.id, action: 'mediumSealable', patientIds: '[]', actorRoles: '["provider_staff"]', policyVersion: expect.stringMatching(/^\d+$/) });
      expect(stored.occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
      expect(JSON.parse(stored.details)).toEqual({ a: 'x', b: 1 });
    });
  });

  /** A checkpoint far beyond any real one, written and read in a transaction that is rolled back. */
  const fakeCheckpoint = (n: number): NewCheckpoint => ({
    checkpoint: 9_000_000_000_000 + n,
    firstSequence: String(9_000_000_000_000 + n * 10),
    lastSequence: String(9_000_000_000_000 + n * 10 + 9),
    eventCount: 0,
    previousHead: '0'.repeat(64),
    head: 'f'.repeat(64),
    sealedAt: new Date().toISOString(),
    keyId: 'medium',
    jws: `medium.${n}.jws`,
  });

  describe('AuditRepository.insertCheckpoint', () => {
    it('stores a signed checkpoint, read back by number, as the newest, and by range', async () => {
      const read = await m.rolledBack(m.data.forSystem('sealAuditLedger'), async (db) => {
        await audit.insertCheckpoint(db, fakeCheckpoint(1));
        await audit.insertCheckpoint(db, fakeCheckpoint(2));
        return {
          byNumber: await audit.checkpointsByNumber(db, [9_000_000_000_002, 9_000_000_000_001, 42_424_242]),
          last: await audit.lastCheckpoint(db),
          range: await audit.checkpoints(db, 9_000_000_000_020n, 9_000_000_000_029n),
          lag: await audit.sealingLag(db),
          unsealed: await audit.unsealed(db, 9_000_000_000_029n),
        };
      });
      expect(read.byNumber.map((c) => c.checkpoint)).toEqual(['9000000000001', '9000000000002']);
      expect(read.last).toMatchObject({ checkpoint: '9000000000002', first_sequence: '9000000000020', last_sequence: '9000000000029', key_id: 'medium', jws: 'medium.2.jws' });
      // The range [20, 29] is checkpoint 2's; the one before it comes along to anchor the chain.
      expect(read.range.map((c) => c.checkpoint)).toEqual(['9000000000001', '9000000000002']);
      expect(read.lag).toEqual({ checkpoint: 9_000_000_000_002, sealedThrough: '9000000000029', unsealedEvents: 0, lagSeconds: 0 });
      expect(read.unsealed).toEqual({ count: 0, maxSequence: null });
    });
  });

  describe('AuditRepository.checkpointsCovering', () => {
    it('finds for each sequence the checkpoint that seals it, and none for a sequence not sealed yet', async () => {
      const covering = await m.rolledBack(m.data.forSystem('sealAuditLedger'), async (db) => {
        await audit.insertCheckpoint(db, fakeCheckpoint(1));
        await audit.insertCheckpoint(db, fakeCheckpoint(2));
        return audit.checkpointsCovering(db, ['9000000000015', '9000000000020', '9000000000029', '9000000000030']);
      });
      expect(Object.fromEntries([...covering].map(([sequence, c]) => [sequence, c.checkpoint]))).toEqual({
        '9000000000015': '9000000000001',
        '9000000000020': '9000000000002',
        '9000000000029': '9000000000002',
      });
      expect(await audit.checkpointsCovering({ query: () => Promise.reject(new Error('no query expected')) } as never, [])).toEqual(new Map());
    });
  });

  describe('AuditRepository.checkpointsByNumber', () => {
    it('reads nothing for no numbers, without a query', async () => {
      expect(await audit.checkpointsByNumber({ query: () => Promise.reject(new Error('no query expected')) } as never, [])).toEqual([]);
    });
  });

  describe('AuditRepository.lastCheckpoint', () => {
    it('reads the newest checkpoint, or null on a ledger without any', async () => {
      const last = await m.data.forSystem('sealAuditLedger').autocommit((db) => audit.lastCheckpoint(db));
      if (last) expect(Number(last.checkpoint)).toBeGreaterThan(0);
      else expect(last).toBeNull();
    });
  });

  describe('AuditRepository.checkpoints', () => {
    it('reads no checkpoint for a range before the first sequence', async () => {
      expect(await m.data.forSystem('verifyAuditLedger').autocommit((db) => audit.checkpoints(db, 0n, 0n))).toEqual([]);
    });
  });

  describe('AuditRepository.sealingLag', () => {
    it('counts the events after the newest checkpoint and the age of the oldest, by the database clock', async () => {
      await append(await staff(), 'mediumLag');
      const lag = await m.data.forSystem('reportAuditLedger').autocommit((db) => audit.sealingLag(db));
      expect(lag.unsealedEvents).toBeGreaterThan(0);
      expect(lag.lagSeconds).toBeGreaterThanOrEqual(0);
    });
  });

  describe('AuditRepository.unsealed', () => {
    it('counts the events after a sequence and names the highest', async () => {
      const event = await append(await staff(), 'mediumUnsealed');
      const unsealed = await m.data.forSystem('verifyAuditLedger').autocommit((db) => audit.unsealed(db, BigInt(event.sequence) - 1n));
      expect(unsealed.count).toBeGreaterThanOrEqual(1);
      expect(BigInt(unsealed.maxSequence!)).toBeGreaterThanOrEqual(BigInt(event.sequence));
    });
  });

  describe('AuditRepository.trySealerLock', () => {
    it('gives the lock to one transaction; another connection does not get it meanwhile', async () => {
      const key = String(7_000_000_000 + Math.floor(Math.random() * 1_000_000));
      const held = await m.data.forSystem('sealAuditLedger').transaction(async (db) => [await audit.trySealerLock(db, key), await m.lockedElsewhere('$1::bigint', [key])]);
      expect(held).toEqual([true, true]);
      expect(await m.lockedElsewhere('$1::bigint', [key])).toBe(false);
    });
  });

  describe('AuditRepository.sequenceAndXmax', () => {
    it('reads the sequence as far as it went, then a transaction id newer than every one before', async () => {
      const event = await append(await staff(), 'mediumHorizon');
      const horizon = await m.data.forSystem('sealAuditLedger').autocommit((db) => audit.sequenceAndXmax(db));
      expect(horizon.lastSequence).toBeGreaterThanOrEqual(BigInt(event.sequence));
      expect(horizon.xmax).toMatch(/^\d+$/);
    });
  });

  describe('AuditRepository.transactionsEndedBefore', () => {
    it('is false while a transaction of this database that took an id before the horizon still runs', async () => {
      const system = m.data.forSystem('sealAuditLedger');
      const ended = await (await staff()).transaction(async (db) => {
        await audit.append(db, { action: 'mediumOpen', outcome: 'SUCCESS' });
        const { xmax } = await system.autocommit((other) => audit.sequenceAndXmax(other));
        return system.autocommit((other) => audit.transactionsEndedBefore(other, xmax));
      });
      expect(ended).toBe(false);
    });
  });

  describe('AuditRepository.databaseTime', () => {
    it('is the database clock as checkpoints record it', async () => {
      const time = await m.data.forSystem('sealAuditLedger').autocommit((db) => audit.databaseTime(db));
      expect(time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
      expect(Math.abs(Date.parse(time) - Date.now())).toBeLessThan(60_000);
    });
  });

  describe('AuditRepository.readerOn', () => {
    it('binds the verifier\'s reads to one connection', async () => {
      const event = await append(await staff(), 'mediumReader');
      const [viaReader, direct] = await m.data.forSystem('verifyAuditLedger').autocommit(async (db) => [
        await audit.readerOn(db).events(BigInt(event.sequence), BigInt(event.sequence)),
        await audit.sealableEvents(db, BigInt(event.sequence), BigInt(event.sequence)),
      ]);
      expect(viaReader).toEqual(direct);
    });
  });
});
