import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '@libs/graphql/pagination.js';
import { DateScalar } from '@libs/graphql/scalars.js';
import type { ReferralDeclineReason, ReferralOutcome, ReferralReason, ReferralStatus, ReferralUrgency, ReportCount } from './referral.js';
import { ReferralDeclineReasonEnum, ReferralOutcomeEnum, ReferralReasonEnum, ReferralStatusEnum, ReferralUrgencyEnum } from './referral.enums.js';
import type { AgencyReport, ReferralView } from './referrals.service.js';

@ObjectType('ReferralParty', { description: 'One side of a referral: the referring agency or the receiving provider.' })
export class ReferralPartyModel {
  @Field(() => String)
  key: string;

  @Field(() => String)
  name: string;
}

/**
 * A referral as its reader may see it. The receiving provider's staff see the person's details;
 * the referring agency sees reason, urgency, incident number, dates and a status of RECEIVED or
 * CLOSED, and the outcome only under the patient's REFERRAL_OUTCOME consent: the same fields,
 * null, either way (docs/partnerships.md).
 */
@ObjectType('Referral')
export class ReferralModel {
  @Field(() => ID)
  id: string;

  @Field(() => ReferralStatusEnum)
  status: ReferralStatus;

  @Field(() => ReferralReasonEnum)
  reason: ReferralReason;

  @Field(() => ReferralUrgencyEnum)
  urgency: ReferralUrgency;

  @Field(() => String)
  incidentNumber: string;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => ReferralPartyModel)
  agency: ReferralPartyModel;

  @Field(() => ReferralPartyModel)
  provider: ReferralPartyModel;

  @Field(() => String, { nullable: true, description: "The receiving provider's staff only." })
  givenName: string | null;

  @Field(() => String, { nullable: true, description: "The receiving provider's staff only." })
  familyName: string | null;

  @Field(() => DateScalar, { nullable: true, description: "The receiving provider's staff only; null when not known." })
  dateOfBirth: string | null;

  @Field(() => String, { nullable: true, description: "The receiving provider's staff only." })
  callbackPhone: string | null;

  @Field(() => String, { nullable: true, description: "The receiving provider's staff only." })
  note: string | null;

  @Field(() => ID, { nullable: true, description: "The provider's patient the referral is linked to; the receiving provider's staff only." })
  patientId: string | null;

  @Field(() => ReferralDeclineReasonEnum, { nullable: true, description: "The receiving provider's staff only." })
  declineReason: ReferralDeclineReason | null;

  @Field(() => ReferralOutcomeEnum, { nullable: true, description: "Null unless recorded and shared: the referring agency sees it only under the patient's REFERRAL_OUTCOME consent." })
  outcome: ReferralOutcome | null;

  @Field(() => DateScalar, { nullable: true })
  outcomeOccurredOn: string | null;

  @Field(() => Date, { nullable: true })
  outcomeRecordedAt: Date | null;

  static from(view: ReferralView): ReferralModel {
    return Object.assign(new ReferralModel(), {
      id: view.id,
      status: view.status,
      reason: view.reason,
      urgency: view.urgency,
      incidentNumber: view.incidentNumber,
      createdAt: view.createdAt,
      agency: Object.assign(new ReferralPartyModel(), view.agency),
      provider: Object.assign(new ReferralPartyModel(), view.provider),
      givenName: view.givenName,
      familyName: view.familyName,
      dateOfBirth: view.dateOfBirth,
      callbackPhone: view.callbackPhone,
      note: view.note,
      patientId: view.patientId,
      declineReason: view.declineReason,
      outcome: view.outcome,
      outcomeOccurredOn: view.outcomeOccurredOn,
      outcomeRecordedAt: view.outcomeRecordedAt,
    });
  }
}

@ObjectType('ReferralConnection')
export class ReferralConnection extends Connection(ReferralModel, 'Referral') {}

@ObjectType('ReportCount', { description: 'A count of the agency report: a count from 1 to 10 is null with suppressed true (small-cell suppression); 0 is shown. Accepted, shared and engaged are also suppressed when all but 0 to 10 of the referrals made are (complementary suppression), and accepted and engaged until their month is settled (the end of the month after).' })
export class ReportCountModel {
  @Field(() => Int, { nullable: true })
  value: number | null;

  @Field(() => Boolean)
  suppressed: boolean;
}

@ObjectType('AgencyReportMonth')
export class AgencyReportMonthModel {
  @Field(() => String, { description: 'YYYY-MM (UTC).' })
  month: string;

  @Field(() => ReportCountModel)
  referralsMade: ReportCount;

  @Field(() => ReportCountModel)
  referralsAccepted: ReportCount;

  @Field(() => ReportCountModel, { description: "Referrals whose outcome the agency may see now (the patient's REFERRAL_OUTCOME consent)." })
  outcomesShared: ReportCount;

  @Field(() => ReportCountModel, { description: 'Referrals closed with the outcome ENGAGED.' })
  referralsEngaged: ReportCount;

  @Field(() => ReportCountModel)
  lookupsMade: ReportCount;

  @Field(() => ReportCountModel, { description: 'Lookups that found information to disclose.' })
  lookupsWithInformation: ReportCount;
}

@ObjectType('AgencyReport', { description: 'Aggregate only, never a person: per month, counts of referrals and lookups of the caller\'s agency.' })
export class AgencyReportModel {
  @Field(() => String)
  organizationKey: string;

  @Field(() => DateScalar, { description: 'The first day of the first month.' })
  from: string;

  @Field(() => DateScalar, { description: 'The last day of the last month.' })
  to: string;

  @Field(() => [AgencyReportMonthModel])
  months: AgencyReportMonthModel[];

  static from(report: AgencyReport): AgencyReportModel {
    return Object.assign(new AgencyReportModel(), {
      organizationKey: report.organizationKey,
      from: report.from,
      to: report.to,
      months: report.months.map((m) => Object.assign(new AgencyReportMonthModel(), m)),
    });
  }
}
