import { Injectable } from '@nestjs/common';
import type { OrganizationDirectory, PrincipalOrganization } from '@libs/auth/principal.js';
import { OrganizationsRepository } from './organizations.repository.js';

/** What authentication needs to know about the organisation a token names. */
@Injectable()
export class OrganizationDirectoryService implements OrganizationDirectory {
  constructor(private readonly organizations: OrganizationsRepository) {}

  async findByKey(key: string): Promise<PrincipalOrganization | null> {
    const found = await this.organizations.findByKey(key);
    return found ? { id: found.id, key: found.key, name: found.name, kind: found.kind } : null;
  }
}
