import { Module } from '@nestjs/common';
import { OrganizationDirectoryService } from './organization-directory.js';
import { OrganizationsRepository } from './organizations.repository.js';
import { OrganizationsResolver } from './organizations.resolver.js';
import { OrganizationsService } from './organizations.service.js';
import { RecipientOrganizationsResolver } from './recipient-organizations.resolver.js';
import { RecipientOrganizationsService } from './recipient-organizations.service.js';

/** Repository and directory, without resolvers: what authentication and other features import. */
@Module({
  providers: [OrganizationsRepository, OrganizationDirectoryService],
  exports: [OrganizationsRepository, OrganizationDirectoryService],
})
export class OrganizationStoreModule {}

@Module({
  imports: [OrganizationStoreModule],
  providers: [OrganizationsService, OrganizationsResolver, RecipientOrganizationsService, RecipientOrganizationsResolver],
  exports: [OrganizationsService],
})
export class OrganizationsModule {}
