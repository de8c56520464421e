import { Injectable } from '@nestjs/common';
import type { Actor } from '@libs/authorization/actor.js';
import { AppConfig, isWebhookUrl } from '@libs/config/app-config.js';
import { FieldCipher } from '@libs/crypto/field-cipher.js';
import { DataAccess, type ScopedTx } from '@libs/database/data-access.js';
import { BadUserInputError } from '@libs/graphql/errors.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import type { OrganizationEntity } from '@app/modules/organizations/organization.entity.js';
import { OrganizationsRepository } from '@app/modules/organizations/organizations.repository.js';
import { ProgramNotificationsRepository } from './program-notifications.repository.js';
import { ProgramWebhookEndpoints, type WebhookSource } from './program-webhook-endpoints.js';

export interface ProgramWebhookView {
  organizationKey: string;
  organizationName: string;
  url: string;
  source: WebhookSource;
  updatedAt: Date | null;
}

/**
 * Admins set where a program's §2.51 notifications go, in the app, besides the environment's
 * `PROGRAM_WEBHOOK_URL_<ORG_KEY>` (which wins and cannot be changed here). The secret is stored
 * encrypted (C23) and never shown again; every change is audited, with no address or secret in
 * the event.
 */
@Injectable()
export class ProgramWebhooksService {
  constructor(
    private readonly config: AppConfig,
    private readonly data: DataAccess,
    private readonly organizations: OrganizationsRepository,
    private readonly repository: ProgramNotificationsRepository,
    private readonly endpoints: ProgramWebhookEndpoints,
    private readonly cipher: FieldCipher,
    private readonly ledger: AuditLedger,
  ) {}

  list(actor: Actor): Promise<ProgramWebhookView[]> {
    return this.data.forCaller(actor).transaction(async (db) => {
      const fromEnvironment = (await this.organizations.listOfKind(db, 'TREATMENT_PROVIDER')).flatMap((o): ProgramWebhookView[] => {
        const setting = this.endpoints.fromEnvironment(o.key);
        return setting ? [{ organizationKey: o.key, organizationName: o.name, url: setting.url, source: 'ENVIRONMENT', updatedAt: null }] : [];
      });
      const overridden = new Set(fromEnvironment.map((w) => w.organizationKey));
      const fromApp = (await this.repository.webhooks(db))
        .filter((w) => !overridden.has(w.organizationKey))
        .map((w): ProgramWebhookView => ({ organizationKey: w.organizationKey, organizationName: w.organizationName, url: w.url, source: 'APP', updatedAt: w.updatedAt }));
      const all = [...fromEnvironment, ...fromApp].sort((a, b) => a.organizationName.localeCompare(b.organizationName) || a.organizationKey.localeCompare(b.organizationKey));
      await this.ledger.append(db, { action: 'programWebhooks', outcome: 'SUCCESS', details: { count: all.length } });
      return all;
    });
  }

  set(actor: Actor, input: { organizationKey: string; url: string; secret: string }): Promise<ProgramWebhookView> {
    if (!isWebhookUrl(input.url, this.config.isProduction)) throw BadUserInputError.of([{ field: 'url', rule: 'INVALID_FORMAT' }]);
    return this.data.forCaller(actor).transaction(async (db) => {
      const program = await this.program(db, input.organizationKey);
      await this.repository.upsertWebhook(db, program.id, input.url, this.cipher.encrypt(input.secret, 'program_webhook.secret'), db.auditActor.sub);
      // Notifications waiting for an endpoint go out at the next round.
      await this.repository.dueNow(db, program.id);
      await this.ledger.append(db, {
        action: 'setProgramWebhook',
        outcome: 'SUCCESS',
        subjectOrganizationKeys: [program.key],
        details: { organizationKey: program.key, scheme: new URL(input.url).protocol.replace(':', '') },
      });
      const stored = (await this.repository.webhookOf(db, program.id))!;
      return { organizationKey: program.key, organizationName: program.name, url: stored.url, source: 'APP', updatedAt: stored.updatedAt };
    });
  }

  remove(actor: Actor, organizationKey: string): Promise<boolean> {
    return this.data.forCaller(actor).transaction(async (db) => {
      const program = await this.program(db, organizationKey);
      if (!(await this.repository.deleteWebhook(db, program.id))) throw BadUserInputError.of([{ field: 'organizationKey' }], 'NOT_FOUND');
      await this.ledger.append(db, { action: 'removeProgramWebhook', outcome: 'SUCCESS', subjectOrganizationKeys: [program.key], details: { organizationKey: program.key } });
      return true;
    });
  }

  /** A treatment provider whose endpoint the app may set: not one the environment already sets. */
  private async program(db: ScopedTx, organizationKey: string): Promise<OrganizationEntity> {
    const [program] = await this.organizations.findByKeys(db, [organizationKey]);
    if (!program) throw BadUserInputError.of([{ field: 'organizationKey' }], 'UNKNOWN_ORGANIZATION');
    if (program.kind !== 'TREATMENT_PROVIDER') throw BadUserInputError.of([{ field: 'organizationKey' }], 'NOT_A_TREATMENT_PROVIDER');
    if (!db.allows('ProgramWebhook.update', { organizationKey: program.key })) throw BadUserInputError.of([{ field: 'organizationKey' }], 'UNKNOWN_ORGANIZATION');
    if (this.endpoints.fromEnvironment(program.key)) throw BadUserInputError.of([{ field: 'organizationKey' }], 'SET_IN_ENVIRONMENT');
    return program;
  }
}
