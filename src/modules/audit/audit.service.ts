import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '@libs/authorization/actor.js';
import { TransactionRunner } from '@libs/database/transaction-runner.js';
import { BadUserInputError } from '@libs/graphql/errors.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import { AuditLedgerStore } from '@libs/ledger/audit-ledger-store.js';
import { AUDIT_SIGNING_KEY, type AuditSigningKey, publicKeySet } from '@libs/ledger/audit-signing-key.js';
import { type AuditVerification, verifyAuditLedger } from '@libs/ledger/audit-verifier.js';

const SEQUENCE = /^[1-9][0-9]{0,17}$/;

function sequenceArgument(value: string | null | undefined, field: string): bigint | undefined {
  if (value === null || value === undefined) return undefined;
  if (!SEQUENCE.test(value)) throw new BadUserInputError([field]);
  return BigInt(value);
}

/** Compliance officers' view of the audit ledger. Every read of it is itself audited (C16, C20). */
@Injectable()
export class AuditService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly ledger: AuditLedger,
    @Inject(AUDIT_SIGNING_KEY) private readonly key: AuditSigningKey,
  ) {}

  async verify(actor: Actor, fromSequence?: string | null, toSequence?: string | null): Promise<AuditVerification> {
    const from = sequenceArgument(fromSequence, 'fromSequence');
    const to = sequenceArgument(toSequence, 'toSequence');
    if (from !== undefined && to !== undefined && to < from) throw new BadUserInputError(['toSequence']);
    return this.transactions.run(async (tx) => {
      // REPEATABLE READ would be stricter; a verification reads only sealed, immutable rows.
      const result = await verifyAuditLedger(new AuditLedgerStore((sql, params) => tx.query(sql, params)), publicKeySet(this.key), { from, to });
      await this.ledger.append(tx, actor, {
        action: 'verifyAuditLog',
        outcome: 'SUCCESS',
        details: { fromSequence: fromSequence ?? null, toSequence: toSequence ?? null, valid: result.valid, firstInvalidSequence: result.firstInvalidSequence, reason: result.reason },
      });
      return result;
    });
  }
}
