import { Injectable } from '@nestjs/common';
import type { Actor } from '@libs/authorization/actor.js';
import type { AgencyType, OrganizationKind } from '@libs/auth/principal.js';
import { DataAccess, type ScopedTx } from '@libs/database/data-access.js';
import { BadUserInputError } from '@libs/graphql/errors.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import { OrganizationDirectoryService } from './organization-directory.js';
import type { OrganizationEntity } from './organization.entity.js';
import { OrganizationsRepository } from './organizations.repository.js';

export interface NewOrganization {
  key: string;
  name: string;
  kind: OrganizationKind;
  part2Program?: boolean;
  /** Responder agencies only; OTHER when absent. */
  agencyType?: AgencyType | null;
}

/** Rules for organisations: unique keys, and only treatment providers can be Part 2 programs. */
@Injectable()
export class OrganizationsService {
  constructor(
    private readonly data: DataAccess,
    private readonly organizations: OrganizationsRepository,
    private readonly ledger: AuditLedger,
    private readonly directory: OrganizationDirectoryService,
  ) {}

  /** Through GraphQL: an admin's act. */
  create(actor: Actor, input: NewOrganization): Promise<OrganizationEntity> {
    // An oversight body's compliance officers read every organisation's log (C20): only another
    // oversight body's admin creates one here; the first comes from the operator (org:create).
    if (input.kind === 'OVERSIGHT' && actor.principal.org.kind !== 'OVERSIGHT') throw new BadUserInputError(['kind'], 'OVERSIGHT_ONLY_BY_OVERSIGHT');
    return this.data.forCaller(actor).transaction((db) => this.createIn(db, input));
  }

  /** The operator's `npm run org:create`, with no server running: any kind, the first oversight body included. */
  createAsOperator(account: string, input: NewOrganization): Promise<OrganizationEntity> {
    return this.data.forOperator(account).transaction((db) => this.createIn(db, input));
  }

  /** Creates the organisation as whoever `db` acts for; also the demo seed's. */
  async createIn(db: ScopedTx, input: NewOrganization): Promise<OrganizationEntity> {
    const part2Program = input.part2Program ?? false;
    if (part2Program && input.kind !== 'TREATMENT_PROVIDER') throw new BadUserInputError(['part2Program'], 'ONLY_TREATMENT_PROVIDERS');
    // Only responder agencies have a type (policies may condition on it): anything else is refused, not dropped.
    if (input.agencyType && input.kind !== 'RESPONDER_AGENCY') throw BadUserInputError.of([{ field: 'agencyType', rule: 'NOT_ALLOWED_VALUE' }], 'ONLY_RESPONDER_AGENCIES');
    const created = await this.organizations.insert(db, { key: input.key, name: input.name, kind: input.kind, part2Program, agencyType: input.agencyType ?? null });
    if (!created) throw new BadUserInputError(['key'], 'ALREADY_EXISTS');
    await this.ledger.append(db, {
      action: 'createOrganization',
      outcome: 'SUCCESS',
      subjectOrganizationKeys: [created.key],
      details: { organizationId: created.id, kind: created.kind, agencyType: created.agencyType, part2Program: created.part2Program },
    });
    return created;
  }

  /**
   * Renames an active organisation the admin's policy lets them update. The key stays (tokens
   * name it); consents and accountings show the new name from now on, and the audit event keeps
   * the old one.
   */
  async rename(actor: Actor, key: string, name: string): Promise<OrganizationEntity> {
    const renamed = await this.data.forCaller(actor).transaction(async (db) => {
      const before = await this.changeable(db, actor, key, 'Organization.update');
      const after = await this.organizations.rename(db, key, name);
      if (!after) throw BadUserInputError.of([{ field: 'organizationKey' }], 'DEACTIVATED');
      await this.ledger.append(db, {
        action: 'renameOrganization',
        outcome: 'SUCCESS',
        subjectOrganizationKeys: [after.key],
        details: { organizationId: after.id, previousName: before.name, name: after.name },
      });
      return after;
    });
    this.directory.changed(key);
    return renamed;
  }

  /**
   * Changes a responder agency's type (docs/partnerships.md, "Changing an agency's type"). The
   * type decides which fields its responders receive under the shipped policies, so:
   * - only agencies have a type: any other kind is refused by field;
   * - nobody reclassifies the agency they act for (an agency's own admin could otherwise widen
   *   what its responders receive);
   * - it takes effect for the next request on this instance and within the directory's 30 s on
   *   others, like deactivation; disclosures already made stay as they were audited;
   * - the event names the agency and every provider with an agreement in force with it, so the
   *   providers' compliance officers see why their partner's answers changed (C16).
   */
  async changeAgencyType(actor: Actor, key: string, agencyType: AgencyType): Promise<OrganizationEntity> {
    const changed = await this.data.forCaller(actor).transaction(async (db) => {
      const before = await this.changeable(db, actor, key, 'Organization.update');
      if (before.kind !== 'RESPONDER_AGENCY') throw BadUserInputError.of([{ field: 'organizationKey' }], 'ONLY_RESPONDER_AGENCIES');
      if (key === actor.principal.org.key) throw BadUserInputError.of([{ field: 'organizationKey' }], 'OWN_ORGANIZATION');
      const partners = await this.organizations.agreementsInForceOf(db, before.id);
      const after = await this.organizations.changeAgencyType(db, key, agencyType);
      if (!after) throw BadUserInputError.of([{ field: 'organizationKey' }], 'DEACTIVATED');
      await this.ledger.append(db, {
        action: 'changeAgencyType',
        outcome: 'SUCCESS',
        subjectOrganizationKeys: [after.key, ...new Set(partners.map((p) => p.counterpartKey))],
        details: { organizationId: after.id, previousAgencyType: before.agencyType, agencyType: after.agencyType },
      });
      return after;
    });
    this.directory.changed(key);
    return changed;
  }

  /**
   * Deactivates an organisation for good (docs/console.md, "Organizations"): its people's tokens
   * are refused and no new consent may name it; its consents, disclosures and audit events stay
   * as they are (C7, C19, C20). An admin cannot deactivate their own organisation (nobody would
   * be left to act for it), and only an oversight body's admin deactivates an oversight body.
   */
  async deactivate(actor: Actor, key: string): Promise<OrganizationEntity> {
    const deactivated = await this.data.forCaller(actor).transaction(async (db) => {
      await this.changeable(db, actor, key, 'Organization.deactivate');
      if (key === actor.principal.org.key) throw BadUserInputError.of([{ field: 'organizationKey' }], 'OWN_ORGANIZATION');
      const before = await this.organizations.findByKey(db, key);
      // Deactivation ends its agreements (migration DeactivationEndsPartnerships): the event names
      // them, with each partner as a subject, so both sides' officers see why sharing stopped (C16).
      const ending = before ? await this.organizations.agreementsInForceOf(db, before.id) : [];
      const after = await this.organizations.deactivate(db, key);
      if (!after) throw BadUserInputError.of([{ field: 'organizationKey' }], 'DEACTIVATED');
      await this.ledger.append(db, {
        action: 'deactivateOrganization',
        outcome: 'SUCCESS',
        subjectOrganizationKeys: [after.key, ...new Set(ending.map((e) => e.counterpartKey))],
        details: { organizationId: after.id, kind: after.kind, partnershipsEnded: ending.map((e) => e.agreementId) },
      });
      return after;
    });
    this.directory.changed(key);
    return deactivated;
  }

  /**
   * The organisation an admin asks to change, if their policy reaches it and it is still active.
   * One outside their policy is answered as an unknown one.
   */
  private async changeable(db: ScopedTx, actor: Actor, key: string, permission: 'Organization.update' | 'Organization.deactivate'): Promise<OrganizationEntity> {
    const found = await this.organizations.findByKey(db, key);
    if (!found || !db.allows(permission, { id: found.id, key: found.key, name: found.name, kind: found.kind, part2Program: found.part2Program })) {
      throw BadUserInputError.of([{ field: 'organizationKey' }], 'UNKNOWN_ORGANIZATION');
    }
    // As for creating one (C20): an oversight body's officers read every organisation's log.
    if (found.kind === 'OVERSIGHT' && actor.principal.org.kind !== 'OVERSIGHT') throw BadUserInputError.of([{ field: 'organizationKey' }], 'OVERSIGHT_ONLY_BY_OVERSIGHT');
    if (found.deactivatedAt) throw BadUserInputError.of([{ field: 'organizationKey' }], 'DEACTIVATED');
    return found;
  }

  list(actor: Actor): Promise<OrganizationEntity[]> {
    return this.data.forCaller(actor).transaction(async (db) => {
      const organizations = await this.organizations.list(db);
      await this.ledger.append(db, { action: 'organizations', outcome: 'SUCCESS', details: { count: organizations.length } });
      return organizations;
    });
  }
}
