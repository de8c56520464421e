import { Injectable } from '@nestjs/common';
import type { OrganizationDirectory, PrincipalOrganization } from '@libs/auth/principal.js';
import { DataAccess } from '@libs/database/data-access.js';
import { OrganizationsRepository } from './organizations.repository.js';

/** What authentication needs to know about the organisation a token names, before there is a caller. */
@Injectable()
export class OrganizationDirectoryService implements OrganizationDirectory {
  private readonly listeners: Array<(key: string) => void> = [];

  constructor(
    private readonly data: DataAccess,
    private readonly organizations: OrganizationsRepository,
  ) {}

  async findByKey(key: string): Promise<PrincipalOrganization | null> {
    const found = await this.data.forSystem('authenticate').autocommit((db) => this.organizations.findByKey(db, key));
    if (!found) return null;
    return { id: found.id, key: found.key, name: found.name, kind: found.kind, agencyType: found.agencyType, ...(found.deactivatedAt ? { deactivated: true } : {}) };
  }

  onChange(listener: (key: string) => void): void {
    this.listeners.push(listener);
  }

  /** Tells whoever caches organisations on this instance that one changed (other instances notice within their cache time). */
  changed(key: string): void {
    for (const listener of this.listeners) listener(key);
  }
}
