import { Field, ID, ObjectType } from '@nestjs/graphql';
import { graphqlEnum } from '@libs/graphql/enums.js';
import { DateScalar } from '@libs/graphql/scalars.js';
import { CareTeamContactModel } from '@app/modules/enrollments/enrollment.model.js';
import { DISCLOSURE_BASES, type DisclosedRecordData, type DisclosureBasis, LOOKUP_OUTCOMES, type LookupOutcome } from './lookup-decision.js';

export const LookupOutcomeEnum = graphqlEnum(LOOKUP_OUTCOMES, { name: 'LookupOutcome', description: 'NO_INFORMATION is the one answer for every "no" (C9).' });
export const DisclosureBasisEnum = graphqlEnum(DISCLOSURE_BASES, { name: 'DisclosureBasis' });

/** One program's record, minimal (C10): a field outside the grant is null, never a placeholder. */
@ObjectType('DisclosedRecord')
export class DisclosedRecordModel {
  @Field(() => String, { nullable: true })
  programName: string | null;

  @Field(() => Boolean, { nullable: true })
  inTreatment: boolean | null;

  @Field(() => DateScalar, { nullable: true })
  treatmentSince: string | null;

  @Field(() => [CareTeamContactModel], { nullable: true })
  careTeam: CareTeamContactModel[] | null;

  @Field(() => String, { nullable: true, description: 'The program\'s guidance for responders.' })
  engagementNotes: string | null;

  @Field(() => String, { nullable: true, description: 'The consent\'s scope in plain words (§2.32(b)).' })
  consentScope: string | null;

  @Field(() => Date, { nullable: true })
  consentExpiresAt: Date | null;

  @Field(() => DisclosureBasisEnum)
  basis: DisclosureBasis;

  static from(data: DisclosedRecordData): DisclosedRecordModel {
    return Object.assign(new DisclosedRecordModel(), {
      ...data,
      careTeam: data.careTeam ? data.careTeam.map((c) => Object.assign(new CareTeamContactModel(), c)) : null,
    });
  }
}

@ObjectType('LookupResult', { description: 'Never cache this answer: ask again, consent can be revoked at any moment (C12).' })
export class LookupResultModel {
  @Field(() => LookupOutcomeEnum)
  outcome: LookupOutcome;

  @Field(() => ID, { description: 'The id of this lookup\'s audit event.' })
  disclosureId: string;

  @Field(() => Date, { description: 'The instant the answer is true for.' })
  asOf: Date;

  @Field(() => [DisclosedRecordModel])
  records: DisclosedRecordModel[];

  @Field(() => String, { nullable: true, description: '42 CFR 2.32 notice; present on every answer that discloses (C11).' })
  redisclosureNotice: string | null;

  @Field(() => String, { nullable: true, description: '42 CFR 2.12(d) restriction; present on every answer that discloses (C13).' })
  useRestriction: string | null;
}
