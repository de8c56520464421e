import { Injectable } from '@nestjs/common';
import type { OrganizationDirectory, PrincipalOrganization } from '@libs/auth/principal.js';
import { DataAccess } from '@libs/database/data-access.js';
import { OrganizationsRepository } from './organizations.repository.js';

/** What authentication needs to know about the organisation a token names, before there is a caller. */
@Injectable()
export class OrganizationDirectoryService implements OrganizationDirectory {
  constructor(
    private readonly data: DataAccess,
    private readonly organizations: OrganizationsRepository,
  ) {}

  async findByKey(key: string): Promise<PrincipalOrganization | null> {
    const found = await this.data.forSystem('authenticate').autocommit((db) => this.organizations.findByKey(db, key));
    return found ? { id: found.id, key: found.key, name: found.name, kind: found.kind, agencyType: found.agencyType } : null;
  }
}
