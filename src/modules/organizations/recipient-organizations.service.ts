import { Injectable } from '@nestjs/common';
import type { Actor } from '@libs/authorization/actor.js';
import { DataAccess } from '@libs/database/data-access.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import type { OrganizationEntity } from './organization.entity.js';
import { OrganizationsRepository } from './organizations.repository.js';

/**
 * The responder agencies a provider's consent may name (§2.31(a)(4): each recipient by name), so
 * staff pick them from a list instead of copying keys; only agencies with a partnership agreement
 * in force with the provider, so every agency listed can be named (issue 15). Organisations only, never patient data;
 * the read is audited like every other (C16).
 */
@Injectable()
export class RecipientOrganizationsService {
  constructor(
    private readonly data: DataAccess,
    private readonly organizations: OrganizationsRepository,
    private readonly ledger: AuditLedger,
  ) {}

  list(actor: Actor): Promise<OrganizationEntity[]> {
    return this.data.forCaller(actor).transaction(async (db) => {
      // Issue 15: only agencies a consent may name now, those with an agreement in force.
      const agencies = await this.organizations.agenciesInForceWith(db, actor.principal.org.id);
      await this.ledger.append(db, { action: 'recipientOrganizations', outcome: 'SUCCESS', details: { count: agencies.length } });
      return agencies;
    });
  }
}
