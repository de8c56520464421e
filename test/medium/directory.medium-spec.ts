// The service's directory against the real PostgreSQL: organisations (OrganizationsRepository)
// and access policies (AccessPolicyRepository). Policies are shared by every test running, so
// the policy statements run for a role no one holds, in transactions that are rolled back.
import { randomUUID } from 'node:crypto';
import { compileAbility, decide } from '@libs/authorization/ability.js';
import type { Actor } from '@libs/authorization/actor.js';
import type { PolicyRule } from '@libs/authorization/policy-document.js';
import type { ScopedTx } from '@libs/database/data-access.js';
import { OrganizationsRepository } from '@app/modules/organizations/organizations.repository.js';
import { OrganizationsService } from '@app/modules/organizations/organizations.service.js';
import { AccessPolicyRepository } from '@app/modules/policies/access-policy.repository.js';
import { sql } from '../support/database.js';
import { Medium } from './support/medium.js';

describe('the directory (medium)', () => {
  const m = Medium.forThisFile();
  const organizations = m.lazy(OrganizationsRepository);
  const policies = m.lazy(AccessPolicyRepository);

  const operator = () => m.data.forOperator('medium-test');
  const fresh = () => ({ key: `medium-dir-${randomUUID().slice(0, 8)}`, name: 'Medium directory test', kind: 'RESPONDER_AGENCY' as const, part2Program: false });

  describe('OrganizationsRepository.insert', () => {
    it('inserts an organisation created by the scope, and answers null (no error, the transaction goes on) when the key is taken', async () => {
      const input = fresh();
      const [created, again, after] = await operator().transaction(async (db) => [
        await organizations.insert(db, input),
        await organizations.insert(db, { ...input, name: 'Another' }),
        await organizations.findByKey(db, input.key),
      ]);
      expect(created).toMatchObject({ key: input.key, name: input.name, kind: 'RESPONDER_AGENCY', part2Program: false, createdBy: 'operator:medium-test' });
      expect(again).toBeNull();
      expect(after?.name).toBe(input.name);
    });
  });

  describe('OrganizationsRepository.findByKey', () => {
    it('finds an organisation by key, and null for an unknown key', async () => {
      const created = await operator().transaction((db) => organizations.insert(db, fresh()));
      const found = await m.data.forSystem('authenticate').autocommit(async (db) => [await organizations.findByKey(db, created!.key), await organizations.findByKey(db, 'medium-no-such-key')]);
      expect(found).toEqual([created, null]);
    });
  });

  describe('OrganizationsRepository.findByKeys', () => {
    it('finds every known key at once and leaves the unknown out', async () => {
      const a = await operator().transaction((db) => organizations.insert(db, fresh()));
      const b = await operator().transaction((db) => organizations.insert(db, fresh()));
      const found = await operator().transaction((db) => organizations.findByKeys(db, [a!.key, 'medium-no-such-key', b!.key]));
      expect(found.map((o) => o.key).sort()).toEqual([a!.key, b!.key].sort());
    });
  });

  describe('OrganizationsRepository.findById', () => {
    it('finds an organisation by id', async () => {
      const created = await operator().transaction((db) => organizations.insert(db, fresh()));
      expect(await operator().transaction((db) => organizations.findById(db, created!.id))).toEqual(created);
    });
  });

  describe('OrganizationsRepository.list', () => {
    it('lists every organisation by name, then key', async () => {
      const a = await operator().transaction((db) => organizations.insert(db, { ...fresh(), name: 'Medium listed zz' }));
      const b = await operator().transaction((db) => organizations.insert(db, { ...fresh(), name: 'Medium listed aa' }));
      const keys = (await operator().transaction((db) => organizations.list(db))).map((o) => o.key);
      expect(keys.indexOf(b!.key)).toBeGreaterThanOrEqual(0);
      expect(keys.indexOf(b!.key)).toBeLessThan(keys.indexOf(a!.key));
    });
  });

  /** An admin whose policy is `rules` alone (a narrower one than shipped, to see the SQL scope at work). */
  const adminWith = async (rules: PolicyRule[]): Promise<Actor> => {
    const home = await m.organization('OVERSIGHT');
    const principal = { sub: `medium-admin-${randomUUID().slice(0, 8)}`, name: 'Medium admin', named: true, roles: ['admin' as const], org: home, amr: ['mfa'] };
    const ability = compileAbility(principal, [{ role: 'admin', version: 1, rules }]);
    return { principal, ability, decision: decide(ability, 'update', 'Organization'), requestId: randomUUID() };
  };
  const agenciesOnly: PolicyRule[] = [{ action: ['update', 'deactivate'], subject: 'Organization', conditions: { kind: 'RESPONDER_AGENCY' } }];

  describe('OrganizationsRepository.rename', () => {
    it('renames an active organisation the scope may update, keeping its key', async () => {
      const created = await operator().transaction((db) => organizations.insert(db, fresh()));
      const renamed = await operator().transaction((db) => organizations.rename(db, created!.key, 'Medium renamed'));
      expect(renamed).toMatchObject({ id: created!.id, key: created!.key, name: 'Medium renamed', deactivatedAt: null });
    });

    it('answers null, changing nothing, for an unknown key, a deactivated organisation, and one outside the policy\'s conditions (filtered in SQL)', async () => {
      const provider = await operator().transaction((db) => organizations.insert(db, { ...fresh(), kind: 'TREATMENT_PROVIDER' }));
      const gone = await operator().transaction((db) => organizations.insert(db, fresh()));
      await operator().transaction((db) => organizations.deactivate(db, gone!.key));
      const agency = await operator().transaction((db) => organizations.insert(db, fresh()));
      const scope = m.data.forCaller(await adminWith(agenciesOnly));
      const answers = await scope.transaction(async (db) => [
        await organizations.rename(db, 'medium-no-such-key', 'x'),
        await organizations.rename(db, gone!.key, 'x'),
        await organizations.rename(db, provider!.key, 'x'),
        (await organizations.rename(db, agency!.key, 'Medium agency renamed'))?.name,
      ]);
      expect(answers).toEqual([null, null, null, 'Medium agency renamed']);
      expect(await sql('SELECT key, name FROM organization WHERE key = ANY($1) ORDER BY name', [[provider!.key, gone!.key]])).toEqual([
        { key: provider!.key, name: provider!.name },
        { key: gone!.key, name: gone!.name },
      ]);
    });
  });

  describe('OrganizationsRepository.changeAgencyType', () => {
    it("changes an active agency's type the scope may update", async () => {
      const created = await operator().transaction((db) => organizations.insert(db, { ...fresh(), agencyType: 'LAW_ENFORCEMENT' }));
      const changed = await operator().transaction((db) => organizations.changeAgencyType(db, created!.key, 'MOBILE_CRISIS'));
      expect(changed).toMatchObject({ id: created!.id, key: created!.key, kind: 'RESPONDER_AGENCY', agencyType: 'MOBILE_CRISIS' });
    });

    it("answers null, changing nothing, for an unknown key, a deactivated agency and one outside the policy's conditions (filtered in SQL)", async () => {
      const gone = await operator().transaction((db) => organizations.insert(db, { ...fresh(), agencyType: 'FIRE' }));
      await operator().transaction((db) => organizations.deactivate(db, gone!.key));
      const agency = await operator().transaction((db) => organizations.insert(db, { ...fresh(), agencyType: 'FIRE' }));
      const scope = m.data.forCaller(await adminWith(agenciesOnly));
      const answers = await scope.transaction(async (db) => [
        await organizations.changeAgencyType(db, 'medium-no-such-key', 'EMS'),
        await organizations.changeAgencyType(db, gone!.key, 'EMS'),
        (await organizations.changeAgencyType(db, agency!.key, 'EMS'))?.agencyType,
      ]);
      expect(answers).toEqual([null, null, 'EMS']);
      expect(await sql('SELECT agency_type FROM organization WHERE key = $1', [gone!.key])).toEqual([{ agency_type: 'FIRE' }]);
    });

    it('cannot give a type to an organisation that is not an agency: the database refuses it', async () => {
      const provider = await operator().transaction((db) => organizations.insert(db, { ...fresh(), kind: 'TREATMENT_PROVIDER' }));
      await expect(operator().transaction((db) => organizations.changeAgencyType(db, provider!.key, 'EMS'))).rejects.toThrow();
      expect(await sql('SELECT agency_type FROM organization WHERE key = $1', [provider!.key])).toEqual([{ agency_type: null }]);
    });
  });

  describe('OrganizationsRepository.deactivate', () => {
    it('deactivates an active organisation once, by whoever the scope acts for; a second time answers null', async () => {
      const created = await operator().transaction((db) => organizations.insert(db, fresh()));
      const [first, second] = await operator().transaction(async (db) => [await organizations.deactivate(db, created!.key), await organizations.deactivate(db, created!.key)]);
      expect(first).toMatchObject({ key: created!.key, deactivatedBy: 'operator:medium-test' });
      expect(first!.deactivatedAt).toBeInstanceOf(Date);
      expect(second).toBeNull();
    });

    it('answers null for an organisation outside the policy\'s conditions, and leaves it active', async () => {
      const provider = await operator().transaction((db) => organizations.insert(db, { ...fresh(), kind: 'TREATMENT_PROVIDER' }));
      const scope = m.data.forCaller(await adminWith(agenciesOnly));
      expect(await scope.transaction((db) => organizations.deactivate(db, provider!.key))).toBeNull();
      expect(await sql('SELECT deactivated_at FROM organization WHERE key = $1', [provider!.key])).toEqual([{ deactivated_at: null }]);
    });

    it('answers null for a caller whose policy does not allow deactivating at all', async () => {
      const created = await operator().transaction((db) => organizations.insert(db, fresh()));
      const scope = m.data.forCaller(await adminWith([{ action: 'update', subject: 'Organization' }]));
      expect(await scope.transaction((db) => organizations.deactivate(db, created!.key))).toBeNull();
    });
  });

  describe('OrganizationsService (an admin acts only on what the policy allows)', () => {
    it('answers an organisation outside the policy\'s conditions as an unknown one, and changes nothing', async () => {
      const provider = await operator().transaction((db) => organizations.insert(db, { ...fresh(), kind: 'TREATMENT_PROVIDER' }));
      const agency = await operator().transaction((db) => organizations.insert(db, fresh()));
      const admin = await adminWith(agenciesOnly);
      const service = m.get(OrganizationsService);
      for (const attempt of [() => service.rename(admin, provider!.key, 'x'), () => service.deactivate(admin, provider!.key)]) {
        await expect(attempt()).rejects.toMatchObject({ reason: 'UNKNOWN_ORGANIZATION', fields: ['organizationKey'], problems: [{ field: 'organizationKey', rule: 'UNKNOWN_ORGANIZATION', limit: null }] });
      }
      expect(await sql('SELECT name, deactivated_at FROM organization WHERE key = $1', [provider!.key])).toEqual([{ name: provider!.name, deactivated_at: null }]);
      expect((await service.deactivate(admin, agency!.key)).deactivatedAt).toBeInstanceOf(Date);
    });
  });

  describe('OrganizationsRepository.listActiveOfKind', () => {
    it('lists the active organisations of one kind by name, leaving out the deactivated and other kinds', async () => {
      const active = await operator().transaction((db) => organizations.insert(db, fresh()));
      const gone = await operator().transaction((db) => organizations.insert(db, fresh()));
      const provider = await operator().transaction((db) => organizations.insert(db, { ...fresh(), kind: 'TREATMENT_PROVIDER' }));
      await operator().transaction((db) => organizations.deactivate(db, gone!.key));
      const keys = (await operator().transaction((db) => organizations.listActiveOfKind(db, 'RESPONDER_AGENCY'))).map((o) => o.key);
      expect(keys).toContain(active!.key);
      expect(keys).not.toContain(gone!.key);
      expect(keys).not.toContain(provider!.key);
    });
  });

  describe('OrganizationsRepository.lockDirectory', () => {
    it('serialises one named piece of work across instances for the rest of the transaction', async () => {
      const purpose = `medium-${randomUUID()}`;
      const blocked = await operator().transaction(async (db) => {
        await organizations.lockDirectory(db, purpose);
        return m.lockedElsewhere('hashtext($1)', [purpose]);
      });
      expect(blocked).toBe(true);
      expect(await m.lockedElsewhere('hashtext($1)', [purpose])).toBe(false);
    });
  });

  /** A role no one holds: the policies written for it change nothing for anyone, and are rolled back. */
  const role = () => `medium_role_${randomUUID().slice(0, 8)}`;
  const rules = [{ action: 'read', subject: 'Self' }];
  const install = (db: ScopedTx, name: string) => policies.insertActiveVersion(db, { role: name, rules, contentHash: 'medium', source: 'PUBLISHED' });
  /** Two versions of a fresh role, then `read`, all rolled back; the role's name with what was read. */
  const withTwoVersions = async <T>(read: (db: ScopedTx, name: string) => Promise<T>): Promise<{ name: string; read: T }> => {
    const name = role();
    const result = await m.rolledBack(operator(), async (db) => {
      await install(db, name);
      await install(db, name);
      return read(db, name);
    });
    return { name, read: result };
  };

  describe('AccessPolicyRepository.insertActiveVersion', () => {
    it('inserts the next version active, the one before inactive, published by the scope', async () => {
      const { name, read: versions } = await withTwoVersions((db, n) => policies.versionsOf(db, n));
      expect(versions.map((v) => [v.version, v.active, v.publishedBy])).toEqual([
        [2, true, 'operator:medium-test'],
        [1, false, 'operator:medium-test'],
      ]);
      expect(await sql('SELECT 1 FROM access_policy WHERE role = $1', [name])).toEqual([]);
    });
  });

  describe('AccessPolicyRepository.activate', () => {
    it('makes one version the active one of its role', async () => {
      const { read: versions } = await withTwoVersions(async (db, n) => {
        await policies.activate(db, n, 1);
        return policies.versionsOf(db, n);
      });
      expect(versions.map((v) => [v.version, v.active])).toEqual([
        [2, false],
        [1, true],
      ]);
    });
  });

  describe('AccessPolicyRepository.activePolicies', () => {
    it('reads the active version of every role, rules included', async () => {
      const { name, read: active } = await withTwoVersions((db) => policies.activePolicies(db));
      expect(active.find((p) => p.role === name)).toEqual({ role: name, version: 2, rules });
      expect(new Set(active.map((p) => p.role)).size).toBe(active.length);
    });
  });

  describe('AccessPolicyRepository.list', () => {
    it('lists every version by role, newest first', async () => {
      const { name, read: listed } = await withTwoVersions((db) => policies.list(db));
      expect(listed.filter((p) => p.role === name).map((p) => p.version)).toEqual([2, 1]);
    });
  });

  describe('AccessPolicyRepository.versionsOf', () => {
    it('reads one role\'s versions, newest first, and none of another role', async () => {
      const { name, read: versions } = await withTwoVersions(async (db, n) => {
        await install(db, role());
        return policies.versionsOf(db, n);
      });
      expect(versions.map((v) => [v.role, v.version])).toEqual([
        [name, 2],
        [name, 1],
      ]);
    });
  });

  describe('AccessPolicyRepository.lockPolicies', () => {
    it('serialises policy changes across instances for the rest of the transaction', async () => {
      const blocked = await m.rolledBack(operator(), async (db) => {
        await policies.lockPolicies(db);
        return m.lockedElsewhere(`hashtext('access_policy')`);
      });
      expect(blocked).toBe(true);
    });
  });
});
