import { Injectable } from '@nestjs/common';
import type { Actor } from '@libs/authorization/actor.js';
import type { AgencyType, OrganizationKind } from '@libs/auth/principal.js';
import { DataAccess, type ScopedTx } from '@libs/database/data-access.js';
import { BadUserInputError } from '@libs/graphql/errors.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
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

  list(actor: Actor): Promise<OrganizationEntity[]> {
    return this.data.forCaller(actor).transaction(async (db) => {
      const organizations = await this.organizations.list(db);
      await this.ledger.append(db, { action: 'organizations', outcome: 'SUCCESS', details: { count: organizations.length } });
      return organizations;
    });
  }
}
