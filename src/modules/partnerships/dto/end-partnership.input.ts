import { Field, ID, InputType } from '@nestjs/graphql';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { PARTNERSHIP_END_REASONS, type PartnershipEndReason } from '../partnership.js';
import { PartnershipEndReasonEnum } from '../partnership.model.js';

@InputType('EndPartnershipInput')
export class EndPartnershipInput {
  @Field(() => ID)
  @IsString()
  id: string;

  @Field(() => PartnershipEndReasonEnum, { nullable: true, description: 'Why, as a code (kept in the audit event). A proposal the other side will not sign is DECLINED; one its proposer takes back, WITHDRAWN.' })
  @IsOptional()
  @IsIn(PARTNERSHIP_END_REASONS)
  reason?: PartnershipEndReason | null;
}
