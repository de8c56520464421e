import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import type { CheckpointRow } from '@libs/ledger/audit.repository.js';

/** One signed checkpoint of the ledger: which events it seals, when, with which key. Hashes and counts only, no PHI. */
@ObjectType('AuditCheckpoint')
export class AuditCheckpointModel {
  @Field(() => Int, { description: 'The checkpoint number, from 1.' })
  checkpoint: number;

  @Field(() => String, { description: 'The first sequence it seals (64-bit, as a decimal string).' })
  firstSequence: string;

  @Field(() => String, { description: 'The last sequence it seals: every event up to it is sealed.' })
  lastSequence: string;

  @Field(() => Int)
  eventCount: number;

  @Field(() => Date, { description: 'When it was signed.' })
  sealedAt: Date;

  @Field(() => String, { description: 'The id (kid) of the key that signed it.' })
  keyId: string;

  static from(row: CheckpointRow): AuditCheckpointModel {
    return Object.assign(new AuditCheckpointModel(), {
      checkpoint: Number(row.checkpoint),
      firstSequence: row.first_sequence,
      lastSequence: row.last_sequence,
      eventCount: row.event_count,
      sealedAt: new Date(row.sealed_at),
      keyId: row.key_id,
    });
  }
}

/** The last verification of the ledger the caller may see in the audit log (a `verifyAuditLog` event). */
@ObjectType('AuditLedgerVerification')
export class AuditLedgerVerificationModel {
  @Field(() => Date)
  verifiedAt: Date;

  @Field(() => String, { description: 'Who asked for it (the display name, else the subject).' })
  verifiedBy: string;

  @Field(() => Boolean)
  valid: boolean;

  @Field(() => String, { nullable: true })
  firstInvalidSequence: string | null;

  @Field(() => String, { nullable: true, description: 'As AuditVerification.reason.' })
  reason: string | null;

  @Field(() => String, { nullable: true, description: 'Null: from the first event.' })
  fromSequence: string | null;

  @Field(() => String, { nullable: true, description: 'Null: to the last event.' })
  toSequence: string | null;
}

@ObjectType('AuditLedgerState')
export class AuditLedgerStateModel {
  @Field(() => AuditCheckpointModel, { nullable: true, description: 'The newest signed checkpoint; null before the first.' })
  lastCheckpoint: AuditCheckpointModel | null;

  @Field(() => [String], { description: 'The witnesses (`directory`, `url`) that hold the last checkpoint outside the database.' })
  witnessedBy: string[];

  @Field(() => [String], { description: 'Witnesses that could not be read just now.' })
  unavailableWitnesses: string[];

  @Field(() => Int, { description: 'Events written after the last checkpoint, not sealed yet (sealed within seconds).' })
  eventsNotSealed: number;

  @Field(() => Float, { description: 'How long the oldest of them has waited, in seconds; 0 when none waits.' })
  oldestNotSealedSeconds: number;

  @Field(() => AuditLedgerVerificationModel, { nullable: true, description: 'The newest verification in the audit log you may read; null when there is none.' })
  lastVerification: AuditLedgerVerificationModel | null;
}
