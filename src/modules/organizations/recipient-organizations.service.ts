import { Injectable } from '@nestjs/common';
import type { Actor } from '@libs/authorization/actor.js';
import { DataAccess } from '@libs/database/data-access.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import type { OrganizationEntity } from './organization.entity.js';
import { OrganizationsRepository } from './organizations.repository.js';

/**
 * The responder agencies a provider's consent may name (§2.31(a)(4): each recipient by name), so
 * staff pick them from a list instead of copying keys. Organisations only, never patient data;
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
      const agencies = await this.organizations.listActiveOfKind(db, 'RESPONDER_AGENCY');
      await this.ledger.append(db, { action: 'recipientOrganizations', outcome: 'SUCCESS', details: { count: agencies.length } });
      return agencies;
    });
  }
}
