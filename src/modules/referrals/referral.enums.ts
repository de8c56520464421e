import { graphqlEnum } from '@libs/graphql/enums.js';
import { REFERRAL_DECLINE_REASONS, REFERRAL_OUTCOMES, REFERRAL_REASONS, REFERRAL_STATUSES, REFERRAL_URGENCIES } from './referral.js';

export const ReferralReasonEnum = graphqlEnum(REFERRAL_REASONS, { name: 'ReferralReason', description: 'Why the responder refers the person.' });
export const ReferralUrgencyEnum = graphqlEnum(REFERRAL_URGENCIES, {
  name: 'ReferralUrgency',
  description: 'How soon the provider should reach the person.',
  valuesMap: {
    ROUTINE: { description: 'Within a few days.' },
    URGENT: { description: 'Within a day.' },
    EMERGENT: { description: 'Within the hour.' },
  },
});
export const ReferralStatusEnum = graphqlEnum(REFERRAL_STATUSES, {
  name: 'ReferralStatus',
  description: "The referral's step. The referring agency sees RECEIVED or CLOSED only, unless the patient's consent names it with REFERRAL_OUTCOME.",
});
export const ReferralOutcomeEnum = graphqlEnum(REFERRAL_OUTCOMES, { name: 'ReferralOutcome', description: 'What became of an accepted referral.' });
export const ReferralDeclineReasonEnum = graphqlEnum(REFERRAL_DECLINE_REASONS, { name: 'ReferralDeclineReason', description: 'Why the provider declined a referral.' });
