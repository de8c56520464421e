import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('AuditVerification')
export class AuditVerificationModel {
  @Field(() => Boolean)
  valid: boolean;

  @Field(() => Int)
  eventsChecked: number;

  @Field(() => Int)
  checkpointsChecked: number;

  @Field(() => String, { nullable: true, description: 'Sequences are 64-bit: sent as decimal strings.' })
  firstInvalidSequence: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'CHECKPOINT_SIGNATURE_INVALID, CHECKPOINT_ALTERED, CHECKPOINT_MISSING, EVENT_ALTERED, EVENT_MISSING, EVENT_INSERTED_BEHIND_CHECKPOINT or CHAIN_MISMATCH.',
  })
  reason: string | null;

  @Field(() => Int, { description: 'Events after the last checkpoint, not sealed yet (sealed within seconds).' })
  unsealedEvents: number;
}
