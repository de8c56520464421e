// Partnership agreements against the real PostgreSQL (issue 15): every statement of
// PartnershipsRepository, and the directory's agencies in force. Whether an agreement is in force
// is decided by partnership_in_force at the statement's clock, so the tests move the clock by
// moving the agreement's own times relative to now() in SQL.
import type { ScopedTx } from '@libs/database/data-access.js';
import { OrganizationsRepository } from '@app/modules/organizations/organizations.repository.js';
import { PartnershipsRepository } from '@app/modules/partnerships/partnerships.repository.js';
import { sql } from '../support/database.js';
import { Medium, type MediumOrganization } from './support/medium.js';

describe('partnership agreements (medium)', () => {
  const m = Medium.forThisFile();
  const partnerships = m.lazy(PartnershipsRepository);
  const organizations = m.lazy(OrganizationsRepository);
  const system = () => m.data.forSystem('seedDemoData');

  /** A provider and an agency with no agreement between them. */
  const pair = async () => {
    const provider = await m.organization('TREATMENT_PROVIDER', { partnerships: false });
    const agency = await m.organization('RESPONDER_AGENCY', { partnerships: false });
    return { provider, agency };
  };
  const propose = (db: ScopedTx, provider: MediumOrganization, agency: MediumOrganization, by = provider) =>
    partnerships.insert(db, {
      providerOrganizationId: provider.id,
      agencyOrganizationId: agency.id,
      proposedByOrganizationId: by.id,
      kind: 'MOU',
      effectiveFrom: new Date(Date.now() - 3_600_000),
      expiresAt: null,
      documentReference: 'MOU-medium',
      documentSha256: 'a'.repeat(64),
      signatories: ['A. Signer, Director'],
    });
  const inForce = (provider: MediumOrganization, agency: MediumOrganization) =>
    sql<{ f: boolean }>('SELECT partnership_in_force($1, $2, clock_timestamp()) AS f', [provider.id, agency.id]).then((r) => r[0].f);

  describe('OrganizationsRepository.agreementsInForceOf', () => {
    it("lists the organisation's agreements in force now with the other side's key, on either side; none once it is deactivated", async () => {
      const { provider, agency } = await pair();
      const other = await m.organization('RESPONDER_AGENCY', { partnerships: false });
      const id = await system().transaction((db) => propose(db, provider, agency));
      await system().transaction((db) => partnerships.accept(db, id));
      await system().transaction((db) => propose(db, provider, other)); // pending: not in force
      expect(await system().transaction((db) => organizations.agreementsInForceOf(db, provider.id))).toEqual([{ agreementId: id, counterpartKey: agency.key }]);
      expect(await system().transaction((db) => organizations.agreementsInForceOf(db, agency.id))).toEqual([{ agreementId: id, counterpartKey: provider.key }]);
      await sql(`UPDATE organization SET deactivated_at = clock_timestamp(), deactivated_by = 'medium' WHERE id = $1`, [agency.id]);
      expect(await system().transaction((db) => organizations.agreementsInForceOf(db, provider.id))).toEqual([]);
      expect(await inForce(provider, agency)).toBe(false);
    });
  });

  describe('PartnershipsRepository.now', () => {
    it('is the database clock', async () => {
      const now = await system().transaction((db) => partnerships.now(db));
      expect(Math.abs(now.getTime() - Date.now())).toBeLessThan(60_000);
    });
  });

  describe('PartnershipsRepository.insert', () => {
    it('stores a proposal by whoever the scope acts for, not in force until accepted', async () => {
      const { provider, agency } = await pair();
      const id = await system().transaction((db) => propose(db, provider, agency));
      const [row] = await sql<Record<string, unknown>>('SELECT proposed_by, accepted_at, signatories FROM partnership_agreement WHERE id = $1', [id]);
      expect(row).toEqual({ proposed_by: 'system:demo-seed', accepted_at: null, signatories: ['A. Signer, Director'] });
      expect(await inForce(provider, agency)).toBe(false);
    });
  });

  describe('PartnershipsRepository.accept', () => {
    it('accepts a pending proposal once: in force from then on', async () => {
      const { provider, agency } = await pair();
      const id = await system().transaction((db) => propose(db, provider, agency));
      expect(await system().transaction((db) => partnerships.accept(db, id))).toBe(true);
      expect(await system().transaction((db) => partnerships.accept(db, id))).toBe(false);
      expect(await inForce(provider, agency)).toBe(true);
    });
  });

  describe('PartnershipsRepository.end', () => {
    it('ends an agreement at once, and only once', async () => {
      const { provider, agency } = await pair();
      const id = await system().transaction(async (db) => {
        const made = await propose(db, provider, agency);
        await partnerships.accept(db, made);
        return made;
      });
      expect(await inForce(provider, agency)).toBe(true);
      expect(await system().transaction((db) => partnerships.end(db, id))).toBe(true);
      expect(await inForce(provider, agency)).toBe(false);
      expect(await system().transaction((db) => partnerships.end(db, id))).toBe(false);
    });
  });

  describe('PartnershipsRepository.findById', () => {
    it("finds an agreement with its status now, for an admin of either side, and nothing for another organisation's admin", async () => {
      const { provider, agency } = await pair();
      const stranger = await m.organization('TREATMENT_PROVIDER', { partnerships: false });
      const id = await system().transaction((db) => propose(db, provider, agency, agency));
      for (const side of [provider, agency]) {
        const actor = await m.actor('admin', side, ['read', 'PartnershipAgreement']);
        const found = await m.data.forCaller(actor).transaction((db) => partnerships.findById(db, id, 'PartnershipAgreement.read'));
        expect(found).toMatchObject({ id, status: 'PROPOSED', kind: 'MOU', proposedByOrganizationId: agency.id, provider: { key: provider.key }, agency: { key: agency.key, agencyType: 'OTHER' } });
      }
      const outsider = await m.actor('admin', stranger, ['read', 'PartnershipAgreement']);
      expect(await m.data.forCaller(outsider).transaction((db) => partnerships.findById(db, id, 'PartnershipAgreement.read'))).toBeNull();
      expect(await system().transaction((db) => partnerships.findById(db, 'not-a-uuid', 'PartnershipAgreement.read'))).toBeNull();
    });

    it('computes IN_FORCE, EXPIRED and ENDED from the database clock', async () => {
      const { provider, agency } = await pair();
      const id = await system().transaction(async (db) => {
        const made = await propose(db, provider, agency);
        await partnerships.accept(db, made);
        return made;
      });
      const status = () => system().transaction(async (db) => (await partnerships.findById(db, id, 'PartnershipAgreement.read'))!.status);
      expect(await status()).toBe('IN_FORCE');
      await sql(`UPDATE partnership_agreement SET expires_at = now() - interval '1 second' WHERE id = $1`, [id]);
      expect(await status()).toBe('EXPIRED');
      await sql(`UPDATE partnership_agreement SET ended_at = now() - interval '2 seconds', ended_by = 'medium' WHERE id = $1`, [id]);
      expect(await status()).toBe('ENDED');
    });
  });

  describe('PartnershipsRepository.list', () => {
    it("lists the caller's organisation's agreements only; provider staff only those in force", async () => {
      const { provider, agency } = await pair();
      const other = await m.organization('RESPONDER_AGENCY', { partnerships: false });
      const [pending, accepted] = await system().transaction(async (db) => {
        const a = await propose(db, provider, agency);
        const b = await propose(db, provider, other);
        await partnerships.accept(db, b);
        return [a, b];
      });
      const admin = await m.actor('admin', provider, ['read', 'PartnershipAgreement']);
      expect((await m.data.forCaller(admin).transaction((db) => partnerships.list(db))).map((a) => a.id).sort()).toEqual([pending, accepted].sort());
      const agencyAdmin = await m.actor('admin', agency, ['read', 'PartnershipAgreement']);
      expect((await m.data.forCaller(agencyAdmin).transaction((db) => partnerships.list(db))).map((a) => a.id)).toEqual([pending]);
      const staff = await m.actor('provider_staff', provider, ['read', 'PartnershipAgreement']);
      expect((await m.data.forCaller(staff).transaction((db) => partnerships.list(db))).map((a) => [a.id, a.status])).toEqual([[accepted, 'IN_FORCE']]);
    });
  });

  describe('PartnershipsRepository.agenciesNotInForce', () => {
    it('names the agencies without an agreement in force with the provider now', async () => {
      const { provider, agency } = await pair();
      const other = await m.organization('RESPONDER_AGENCY', { partnerships: false });
      await system().transaction(async (db) => partnerships.accept(db, await propose(db, provider, agency)));
      await system().transaction((db) => propose(db, provider, other));
      expect(await system().transaction((db) => partnerships.agenciesNotInForce(db, provider.id, [agency.id, other.id]))).toEqual([other.id]);
      expect(await system().transaction((db) => partnerships.agenciesNotInForce(db, provider.id, []))).toEqual([]);
    });
  });

  describe('OrganizationsRepository.agenciesInForceWith', () => {
    it('lists the agencies in force with the provider, by name, and no others', async () => {
      const { provider, agency } = await pair();
      const pending = await m.organization('RESPONDER_AGENCY', { partnerships: false });
      await system().transaction(async (db) => partnerships.accept(db, await propose(db, provider, agency)));
      await system().transaction((db) => propose(db, provider, pending));
      expect((await system().transaction((db) => organizations.agenciesInForceWith(db, provider.id))).map((o) => o.key)).toEqual([agency.key]);
    });
  });
});
