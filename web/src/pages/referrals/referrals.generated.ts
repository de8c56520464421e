// Generated from web/src/pages/referrals/referrals.graphql and schema.gql by web/scripts/graphql-operations.mjs: do not edit.
import type { Operation } from '../../api/operation';
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
export type AcceptReferralInput = {
  /** A patient of the provider's own: the person, registered first if new. */
  patientId: string;
  referralId: string;
};

export type CreateReferralInput = {
  /** Where the provider can call the person back: 7 to 15 digits. */
  callbackPhone?: string | null | undefined;
  /** If known: a real date, not in the future, not more than 120 years ago. */
  dateOfBirth?: string | null | undefined;
  familyName: string;
  givenName: string;
  /** The incident the responder is on: 3-40 letters, digits and hyphens. */
  incidentNumber: string;
  /** A short note for the provider (up to 500 characters): how to reach the person, what they asked for. */
  note?: string | null | undefined;
  /** The person agreed to be referred: must be true. */
  personAgreed: boolean;
  /** The key of the treatment provider; a partnership agreement with it must be in force (PARTNERSHIP_REQUIRED). */
  providerOrganizationKey: string;
  reason: ReferralReason;
  urgency: ReferralUrgency;
};

export type DeclineReferralInput = {
  reason: ReferralDeclineReason;
  referralId: string;
};

export type RecordReferralOutcomeInput = {
  /** When it happened: not in the future, not before the referral was made. */
  occurredOn: string;
  outcome: ReferralOutcome;
  referralId: string;
};

/** Why the provider declined a referral. */
export type ReferralDeclineReason =
  | 'DUPLICATE'
  | 'NOT_ELIGIBLE'
  | 'NO_CAPACITY'
  | 'OTHER'
  | 'OUT_OF_AREA';

/** What became of an accepted referral. */
export type ReferralOutcome =
  | 'CONTACTED'
  | 'DECLINED'
  | 'ENGAGED'
  | 'NOT_ELIGIBLE'
  | 'UNABLE_TO_REACH';

/** Why the responder refers the person. */
export type ReferralReason =
  | 'CRISIS'
  | 'HOUSING'
  | 'MENTAL_HEALTH'
  | 'OTHER'
  | 'OVERDOSE'
  | 'SUBSTANCE_USE'
  | 'WELFARE_CHECK';

/** The referral's step. The referring agency sees RECEIVED or CLOSED only, unless the patient's consent names it with REFERRAL_OUTCOME. */
export type ReferralStatus =
  | 'ACCEPTED'
  | 'CLOSED'
  | 'DECLINED'
  | 'RECEIVED';

/** How soon the provider should reach the person. */
export type ReferralUrgency =
  /** Within the hour. */
  | 'EMERGENT'
  /** Within a few days. */
  | 'ROUTINE'
  /** Within a day. */
  | 'URGENT';

export type RegisterPatientInput = {
  /** Other given names the person is known by (up to 10). */
  aliases?: Array<string> | null | undefined;
  /** Register even though the provider has a patient who may be this person (POSSIBLE_DUPLICATE): the staff member checked it is someone else. */
  confirmDistinctPerson?: boolean | null | undefined;
  /** Not in the future, not more than 120 years ago. */
  dateOfBirth: string;
  familyName: string;
  givenName: string;
};

export type ReferralPartnersQueryVariables = Exact<{ [key: string]: never; }>;


export type ReferralPartnersQuery = { referralPartners: Array<{ key: string, name: string }> };

export type CreateReferralMutationVariables = Exact<{
  input: CreateReferralInput;
}>;


export type CreateReferralMutation = { createReferral: { id: string, status: ReferralStatus, reason: ReferralReason, urgency: ReferralUrgency, incidentNumber: string, createdAt: string, outcome: ReferralOutcome | null, outcomeOccurredOn: string | null, outcomeRecordedAt: string | null, agency: { key: string, name: string }, provider: { key: string, name: string } } };

export type ReferralsQueryVariables = Exact<{
  status?: ReferralStatus | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ReferralsQuery = { referrals: { nodes: Array<{ givenName: string | null, familyName: string | null, dateOfBirth: string | null, callbackPhone: string | null, note: string | null, patientId: string | null, declineReason: ReferralDeclineReason | null, id: string, status: ReferralStatus, reason: ReferralReason, urgency: ReferralUrgency, incidentNumber: string, createdAt: string, outcome: ReferralOutcome | null, outcomeOccurredOn: string | null, outcomeRecordedAt: string | null, agency: { key: string, name: string }, provider: { key: string, name: string } }>, pageInfo: { endCursor: string | null, hasNextPage: boolean } } };

export type AcceptReferralMutationVariables = Exact<{
  input: AcceptReferralInput;
}>;


export type AcceptReferralMutation = { acceptReferral: { id: string, status: ReferralStatus, patientId: string | null } };

export type DeclineReferralMutationVariables = Exact<{
  input: DeclineReferralInput;
}>;


export type DeclineReferralMutation = { declineReferral: { id: string, status: ReferralStatus, declineReason: ReferralDeclineReason | null } };

export type RecordReferralOutcomeMutationVariables = Exact<{
  input: RecordReferralOutcomeInput;
}>;


export type RecordReferralOutcomeMutation = { recordReferralOutcome: { id: string, status: ReferralStatus, outcome: ReferralOutcome | null, outcomeOccurredOn: string | null } };

export type RegisterReferredPatientMutationVariables = Exact<{
  input: RegisterPatientInput;
}>;


export type RegisterReferredPatientMutation = { registerPatient: { id: string } };

export type AgencyReportQueryVariables = Exact<{
  from: string;
  to: string;
}>;


export type AgencyReportQuery = { agencyReport: { organizationKey: string, from: string, to: string, months: Array<{ month: string, referralsMade: { value: number | null, suppressed: boolean }, referralsAccepted: { value: number | null, suppressed: boolean }, outcomesShared: { value: number | null, suppressed: boolean }, referralsEngaged: { value: number | null, suppressed: boolean }, lookupsMade: { value: number | null, suppressed: boolean }, lookupsWithInformation: { value: number | null, suppressed: boolean } }> } };

export type CountFragment = { value: number | null, suppressed: boolean };

export type ReferralSummaryFragment = { id: string, status: ReferralStatus, reason: ReferralReason, urgency: ReferralUrgency, incidentNumber: string, createdAt: string, outcome: ReferralOutcome | null, outcomeOccurredOn: string | null, outcomeRecordedAt: string | null, agency: { key: string, name: string }, provider: { key: string, name: string } };

export type ReferralPatientCandidatesQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ReferralPatientCandidatesQuery = { patients: { nodes: Array<{ id: string, givenName: string, familyName: string, dateOfBirth: string, aliases: Array<string> }>, pageInfo: { endCursor: string | null, hasNextPage: boolean } } };

export const ReferralPartnersDocument = "query ReferralPartners{referralPartners{key name}}" as Operation<ReferralPartnersQuery, ReferralPartnersQueryVariables>;

export const CreateReferralDocument = "mutation CreateReferral($input:CreateReferralInput!){createReferral(input:$input){...ReferralSummary}}fragment ReferralSummary on Referral{id status reason urgency incidentNumber createdAt agency{key name}provider{key name}outcome outcomeOccurredOn outcomeRecordedAt}" as Operation<CreateReferralMutation, CreateReferralMutationVariables>;

export const ReferralsDocument = "query Referrals($status:ReferralStatus$first:Int$after:String){referrals(status:$status first:$first after:$after){nodes{...ReferralSummary givenName familyName dateOfBirth callbackPhone note patientId declineReason}pageInfo{endCursor hasNextPage}}}fragment ReferralSummary on Referral{id status reason urgency incidentNumber createdAt agency{key name}provider{key name}outcome outcomeOccurredOn outcomeRecordedAt}" as Operation<ReferralsQuery, ReferralsQueryVariables>;

export const AcceptReferralDocument = "mutation AcceptReferral($input:AcceptReferralInput!){acceptReferral(input:$input){id status patientId}}" as Operation<AcceptReferralMutation, AcceptReferralMutationVariables>;

export const DeclineReferralDocument = "mutation DeclineReferral($input:DeclineReferralInput!){declineReferral(input:$input){id status declineReason}}" as Operation<DeclineReferralMutation, DeclineReferralMutationVariables>;

export const RecordReferralOutcomeDocument = "mutation RecordReferralOutcome($input:RecordReferralOutcomeInput!){recordReferralOutcome(input:$input){id status outcome outcomeOccurredOn}}" as Operation<RecordReferralOutcomeMutation, RecordReferralOutcomeMutationVariables>;

export const RegisterReferredPatientDocument = "mutation RegisterReferredPatient($input:RegisterPatientInput!){registerPatient(input:$input){id}}" as Operation<RegisterReferredPatientMutation, RegisterReferredPatientMutationVariables>;

export const AgencyReportDocument = "query AgencyReport($from:Date!$to:Date!){agencyReport(from:$from to:$to){organizationKey from to months{month referralsMade{...Count}referralsAccepted{...Count}outcomesShared{...Count}referralsEngaged{...Count}lookupsMade{...Count}lookupsWithInformation{...Count}}}}fragment Count on ReportCount{value suppressed}" as Operation<AgencyReportQuery, AgencyReportQueryVariables>;

export const ReferralPatientCandidatesDocument = "query ReferralPatientCandidates($first:Int$after:String){patients(first:$first after:$after){nodes{id givenName familyName dateOfBirth aliases}pageInfo{endCursor hasNextPage}}}" as Operation<ReferralPatientCandidatesQuery, ReferralPatientCandidatesQueryVariables>;
