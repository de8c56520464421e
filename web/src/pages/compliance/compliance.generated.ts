// Generated from web/src/pages/compliance/compliance.graphql and schema.gql by web/scripts/graphql-operations.mjs: do not edit.
import type { Operation } from '../../api/operation';
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
export type AccountingFormat =
  | 'CSV'
  | 'FHIR_BUNDLE';

export type AuditEventFilter = {
  /** The operation, as in the GraphQL contract (for example responderLookup). */
  action?: string | null | undefined;
  actorOrganizationKey?: string | null | undefined;
  actorSubject?: string | null | undefined;
  /** From this instant (inclusive). */
  from?: string | null | undefined;
  incidentNumber?: string | null | undefined;
  outcome?: string | null | undefined;
  patientId?: string | null | undefined;
  /** Until this instant (exclusive). */
  to?: string | null | undefined;
};

/** Whether an audit row is what the ledger sealed. */
export type AuditIntegrity =
  /** Does not match what was sealed: altered, inserted behind a checkpoint, or its checkpoint is not genuine. */
  | 'FAILED'
  /** Not sealed yet (within seconds of being written). */
  | 'PENDING'
  /** Sealed by a checkpoint whose signature verifies, and the row hashes to the digest it signed. */
  | 'VERIFIED';

export type FindPatientsForReviewInput = {
  dateOfBirth: string;
  familyName: string;
  /** A given name or an alias. */
  givenName: string;
};

export type FindPatientsForReviewQueryVariables = Exact<{
  input: FindPatientsForReviewInput;
}>;


export type FindPatientsForReviewQuery = { findPatientsForReview: Array<{ id: string, givenName: string, familyName: string, dateOfBirth: string, aliases: Array<string>, organizationName: string, registeredAt: string }> };

export type AuditEventsQueryVariables = Exact<{
  filter?: AuditEventFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type AuditEventsQuery = { auditEvents: { nodes: Array<{ id: string, sequence: string, occurredAt: string, action: string, outcome: string, description: string, integrity: AuditIntegrity, actorName: string | null, actorSubject: string, actorOrganizationKey: string, actorOrganizationName: string | null, incidentNumber: string | null, purpose: string | null, basis: string | null }>, pageInfo: { endCursor: string | null, hasNextPage: boolean } } };

export type AccountingOfDisclosuresQueryVariables = Exact<{
  patientId: string;
  from?: string | null | undefined;
  to?: string | null | undefined;
}>;


export type AccountingOfDisclosuresQuery = { accountingOfDisclosures: Array<{ disclosureId: string, disclosedAt: string, description: string, legalBasis: string, incidentNumber: string | null, integrity: AuditIntegrity, recipient: { organizationName: string, personName: string | null } }> };

export type AccountingExportQueryVariables = Exact<{
  patientId: string;
  format: AccountingFormat;
  from?: string | null | undefined;
  to?: string | null | undefined;
}>;


export type AccountingExportQuery = { accountingOfDisclosuresExport: { content: string, contentType: string, fileName: string } };

export type VerifyAuditLogQueryVariables = Exact<{ [key: string]: never; }>;


export type VerifyAuditLogQuery = { verifyAuditLog: { valid: boolean, reason: string | null, firstInvalidSequence: string | null, checkpointsChecked: number, eventsChecked: number, receiptsChecked: number, unsealedEvents: number, unavailableWitnesses: Array<string> } };

export type AuditEventDetailQueryVariables = Exact<{
  id: string;
}>;


export type AuditEventDetailQuery = { auditEvent: { id: string, sequence: string, occurredAt: string, action: string, outcome: string, description: string, integrity: AuditIntegrity, actorName: string | null, actorSubject: string, actorRoles: Array<string>, actorOrganizationKey: string, actorOrganizationName: string | null, subjectOrganizationKeys: Array<string>, subjectOrganizationNames: Array<string>, patientIds: Array<string>, incidentNumber: string | null, purpose: string | null, basis: string | null, consentIds: Array<string>, disclosedCategories: Array<string>, policyVersion: number | null, policyRule: string | null, requestId: string | null, details: unknown, sealedBy: { checkpoint: number, firstSequence: string, lastSequence: string, sealedAt: string } | null } | null };

export type AuditLedgerStateQueryVariables = Exact<{ [key: string]: never; }>;


export type AuditLedgerStateQuery = { auditLedgerState: { witnessedBy: Array<string>, unavailableWitnesses: Array<string>, eventsNotSealed: number, oldestNotSealedSeconds: number, lastCheckpoint: { checkpoint: number, firstSequence: string, lastSequence: string, eventCount: number, sealedAt: string, keyId: string } | null, lastVerification: { verifiedAt: string, verifiedBy: string, valid: boolean, firstInvalidSequence: string | null, reason: string | null, fromSequence: string | null, toSequence: string | null } | null } };

export const FindPatientsForReviewDocument = "query FindPatientsForReview($input:FindPatientsForReviewInput!){findPatientsForReview(input:$input){id givenName familyName dateOfBirth aliases organizationName registeredAt}}" as Operation<FindPatientsForReviewQuery, FindPatientsForReviewQueryVariables>;

export const AuditEventsDocument = "query AuditEvents($filter:AuditEventFilter$first:Int$after:String){auditEvents(filter:$filter first:$first after:$after){nodes{id sequence occurredAt action outcome description integrity actorName actorSubject actorOrganizationKey actorOrganizationName incidentNumber purpose basis}pageInfo{endCursor hasNextPage}}}" as Operation<AuditEventsQuery, AuditEventsQueryVariables>;

export const AccountingOfDisclosuresDocument = "query AccountingOfDisclosures($patientId:ID!$from:DateTime$to:DateTime){accountingOfDisclosures(patientId:$patientId from:$from to:$to){disclosureId disclosedAt description legalBasis incidentNumber integrity recipient{organizationName personName}}}" as Operation<AccountingOfDisclosuresQuery, AccountingOfDisclosuresQueryVariables>;

export const AccountingExportDocument = "query AccountingExport($patientId:ID!$format:AccountingFormat!$from:DateTime$to:DateTime){accountingOfDisclosuresExport(patientId:$patientId format:$format from:$from to:$to){content contentType fileName}}" as Operation<AccountingExportQuery, AccountingExportQueryVariables>;

export const VerifyAuditLogDocument = "query VerifyAuditLog{verifyAuditLog{valid reason firstInvalidSequence checkpointsChecked eventsChecked receiptsChecked unsealedEvents unavailableWitnesses}}" as Operation<VerifyAuditLogQuery, VerifyAuditLogQueryVariables>;

export const AuditEventDetailDocument = "query AuditEventDetail($id:ID!){auditEvent(id:$id){id sequence occurredAt action outcome description integrity actorName actorSubject actorRoles actorOrganizationKey actorOrganizationName subjectOrganizationKeys subjectOrganizationNames patientIds incidentNumber purpose basis consentIds disclosedCategories policyVersion policyRule requestId details sealedBy{checkpoint firstSequence lastSequence sealedAt}}}" as Operation<AuditEventDetailQuery, AuditEventDetailQueryVariables>;

export const AuditLedgerStateDocument = "query AuditLedgerState{auditLedgerState{lastCheckpoint{checkpoint firstSequence lastSequence eventCount sealedAt keyId}witnessedBy unavailableWitnesses eventsNotSealed oldestNotSealedSeconds lastVerification{verifiedAt verifiedBy valid firstInvalidSequence reason fromSequence toSequence}}}" as Operation<AuditLedgerStateQuery, AuditLedgerStateQueryVariables>;
