import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AbilitiesService } from '@libs/authorization/abilities.service.js';
import type { PolicyDocument } from '@libs/authorization/policy-document.js';
import { validatePolicyDocument } from '@libs/authorization/policy-validation.js';
import { projectRoot } from '@libs/config/project-root.js';
import { DataAccess } from '@libs/database/data-access.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import { AccessPolicyRepository } from './access-policy.repository.js';

export function policyHash(rules: unknown): string {
  return createHash('sha256').update(JSON.stringify(rules)).digest('hex');
}

/** Reads and validates every `policies/*.json`; a bad default stops the start. */
export async function readDefaultPolicies(directory = join(projectRoot(), 'policies')): Promise<PolicyDocument[]> {
  const files = (await readdir(directory)).filter((f) => f.endsWith('.json')).sort();
  const documents: PolicyDocument[] = [];
  for (const file of files) {
    const document = JSON.parse(await readFile(join(directory, file), 'utf8')) as PolicyDocument;
    const problems = validatePolicyDocument(document);
    if (problems.length > 0) {
      throw new Error(`policies/${file} is invalid: ${problems.map((p) => `rule ${p.rule ?? '-'}: ${p.reason}`).join('; ')}`);
    }
    documents.push(document);
  }
  return documents;
}

/**
 * Installs the shipped default policies as versions of their roles. A role gets a new default
 * version when the shipped file changed and the role still runs a default; a version an admin
 * published is never replaced by a start. Each installation is an audit event.
 */
@Injectable()
export class DefaultPolicyInstaller implements OnApplicationBootstrap {
  constructor(
    private readonly data: DataAccess,
    private readonly policies: AccessPolicyRepository,
    private readonly ledger: AuditLedger,
    private readonly abilities: AbilitiesService,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext('DefaultPolicies');
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.install(await readDefaultPolicies());
    // The versions in force must keep the guard rails too, whoever published them: refuse to start otherwise.
    for (const policy of await this.data.forSystem('loadActivePolicies').autocommit((db) => this.policies.activePolicies(db))) {
      const problems = validatePolicyDocument({ role: policy.role, rules: policy.rules });
      if (problems.length > 0) {
        throw new Error(`active policy ${policy.role} version ${policy.version} breaks a guard rail: ${problems.map((p) => `rule ${p.rule ?? '-'}: ${p.reason}`).join('; ')}`);
      }
    }
  }

  async install(documents: PolicyDocument[]): Promise<void> {
    await this.data.forSystem('installDefaultPolicies').transaction(async (db) => {
      await this.policies.lockPolicies(db);
      for (const document of documents) {
        const hash = policyHash(document.rules);
        const versions = await this.policies.versionsOf(db, document.role);
        const active = versions.find((v) => v.active);
        if (active?.contentHash === hash) continue;
        if (active?.source === 'PUBLISHED') {
          this.logger.warn({ role: document.role }, 'shipped default policy differs from the published one in force; keeping the published one');
          continue;
        }
        const installed = await this.policies.insertActiveVersion(db, {
          role: document.role,
          rules: document.rules,
          contentHash: hash,
          source: 'DEFAULT',
        });
        await this.ledger.append(db, {
          action: 'installDefaultAccessPolicy',
          outcome: 'SUCCESS',
          details: { role: document.role, version: installed.version, previousVersion: active?.version ?? null },
        });
        this.logger.info({ role: document.role, version: installed.version }, 'default policy installed');
      }
    });
    this.abilities.invalidate();
  }
}
