import { Injectable } from '@nestjs/common';
import { AppConfig, type ProgramWebhookSetting, programWebhookEnvironmentKey } from '@libs/config/app-config.js';
import { FieldCipher } from '@libs/crypto/field-cipher.js';
import type { ScopedTx } from '@libs/database/data-access.js';
import { ProgramNotificationsRepository } from './program-notifications.repository.js';

/** Where a program's endpoint is set: the environment (which wins) or the app. */
export const WEBHOOK_SOURCES = ['ENVIRONMENT', 'APP'] as const;
export type WebhookSource = (typeof WEBHOOK_SOURCES)[number];

/** Where a program's notifications go, and the secret that signs them. */
export interface ProgramEndpoint extends ProgramWebhookSetting {
  source: WebhookSource;
}

/**
 * A program's webhook: `PROGRAM_WEBHOOK_URL_<ORG_KEY>` and `PROGRAM_WEBHOOK_SECRET_<ORG_KEY>`
 * from the environment, which the operator controls and which therefore wins, else the endpoint
 * an admin set in the app (its secret encrypted at rest, C23).
 */
@Injectable()
export class ProgramWebhookEndpoints {
  constructor(
    private readonly config: AppConfig,
    private readonly repository: ProgramNotificationsRepository,
    private readonly cipher: FieldCipher,
  ) {}

  fromEnvironment(organizationKey: string): ProgramWebhookSetting | undefined {
    return this.config.programWebhooks.get(programWebhookEnvironmentKey(organizationKey));
  }

  async of(db: ScopedTx, organization: { id: string; key: string }): Promise<ProgramEndpoint | null> {
    const fromEnvironment = this.fromEnvironment(organization.key);
    if (fromEnvironment) return { ...fromEnvironment, source: 'ENVIRONMENT' };
    const stored = await this.repository.webhookOf(db, organization.id);
    return stored ? { url: stored.url, secret: this.cipher.decrypt(stored.secretEnc, 'program_webhook.secret'), source: 'APP' } : null;
  }
}
