import { Injectable } from '@nestjs/common';
import type { Actor } from '@libs/authorization/actor.js';
import { TransactionRunner } from '@libs/database/transaction-runner.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import type { AccessPolicyEntity } from './access-policy.entity.js';
import { AccessPolicyRepository } from './access-policy.repository.js';

/** Reading access policies; publishing and activation rules join here. */
@Injectable()
export class PoliciesService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly policies: AccessPolicyRepository,
    private readonly ledger: AuditLedger,
  ) {}

  list(actor: Actor): Promise<AccessPolicyEntity[]> {
    return this.transactions.run(async (tx) => {
      const policies = await this.policies.list(tx);
      await this.ledger.append(tx, actor, { action: 'accessPolicies', outcome: 'SUCCESS', details: { count: policies.length } });
      return policies;
    });
  }
}
