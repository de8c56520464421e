import { Module } from '@nestjs/common';
import { OrganizationStoreModule } from '@app/modules/organizations/organizations.module.js';
import { ProgramNotificationsRepository } from './program-notifications.repository.js';
import { ProgramNotifier } from './program-notifier.js';
import { ProgramWebhookEndpoints } from './program-webhook-endpoints.js';
import { ProgramWebhooksResolver } from './program-webhooks.resolver.js';
import { ProgramWebhooksService } from './program-webhooks.service.js';

/** §2.51 notifications delivered to programs' webhooks, and where those are. */
@Module({
  imports: [OrganizationStoreModule],
  providers: [ProgramNotificationsRepository, ProgramWebhookEndpoints, ProgramNotifier, ProgramWebhooksService, ProgramWebhooksResolver],
  exports: [ProgramNotifier],
})
export class ProgramNotificationsModule {}
