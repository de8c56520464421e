import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { graphqlEnum } from '@libs/graphql/enums.js';
import { IsDate, IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { Connection } from '@libs/graphql/pagination.js';
import { JsonScalar } from '@libs/graphql/scalars.js';
import { AUDIT_OUTCOMES } from '@libs/ledger/audit-event.js';
import { AUDIT_INTEGRITY, type AuditIntegrity } from '@libs/ledger/audit-integrity.js';
import { ORGANIZATION_KEY_PATTERN } from '@app/modules/organizations/dto/create-organization.input.js';
import { INCIDENT_NUMBER } from '@app/modules/responder/dto/lookup.input.js';
import type { AuditRecord } from '@libs/ledger/audit.repository.js';
import { auditEventToFhir } from './audit-event-fhir.js';
import { describeAuditEvent } from './audit-event-description.js';

export const AuditIntegrityEnum = graphqlEnum(AUDIT_INTEGRITY, {
  name: 'AuditIntegrity',
  description: 'Whether an audit row is what the ledger sealed.',
  valuesMap: {
    VERIFIED: { description: 'Sealed by a checkpoint whose signature verifies, and the row hashes to the digest it signed.' },
    PENDING: { description: 'Not sealed yet (within seconds of being written).' },
    FAILED: { description: 'Does not match what was sealed: altered, inserted behind a checkpoint, or its checkpoint is not genuine.' },
  },
});

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
    description:
      'CHECKPOINT_SIGNATURE_INVALID, CHECKPOINT_ALTERED, CHECKPOINT_MISSING (also: the database holds less than a witness holds), HEAD_MISMATCH (a checkpoint differs from the witnessed one), EVENT_ALTERED, EVENT_MISSING, EVENT_INSERTED_BEHIND_CHECKPOINT or CHAIN_MISMATCH.',
  })
  reason: string | null;

  @Field(() => Int, { description: 'Events after the last checkpoint, not sealed yet (sealed within seconds).' })
  unsealedEvents: number;

  @Field(() => Int, { description: 'Checkpoints held by the witnesses, outside the database, that were compared with it.' })
  receiptsChecked: number;

  @Field(() => [String], { description: 'Witnesses that could not be read for this verification (`directory`, `url`); empty when all were.' })
  unavailableWitnesses: string[];
}

@InputType('AuditEventFilter')
export class AuditEventFilter {
  @Field(() => Date, { nullable: true, description: 'From this instant (inclusive).' })
  @IsOptional()
  @IsDate()
  from?: Date;

  @Field(() => Date, { nullable: true, description: 'Until this instant (exclusive).' })
  @IsOptional()
  @IsDate()
  to?: Date;

  @Field(() => String, { nullable: true, description: 'The operation, as in the GraphQL contract (for example responderLookup).' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z][A-Za-z.]{1,63}$/)
  action?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIn(AUDIT_OUTCOMES)
  outcome?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  actorSubject?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(ORGANIZATION_KEY_PATTERN)
  actorOrganizationKey?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  patientId?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(INCIDENT_NUMBER)
  incidentNumber?: string;
}


@ObjectType('AuditEvent')
export class AuditEventModel {
  @Field(() => ID)
  id: string;

  @Field(() => String, { description: '64-bit, as a decimal string.' })
  sequence: string;

  @Field(() => Date)
  occurredAt: Date;

  @Field(() => String)
  action: string;

  @Field(() => String)
  outcome: string;

  @Field(() => String)
  actorSubject: string;

  @Field(() => String)
  actorOrganizationKey: string;

  @Field(() => [String])
  actorRoles: string[];

  @Field(() => String, { nullable: true })
  actorName: string | null;

  @Field(() => [ID])
  patientIds: string[];

  @Field(() => [String])
  subjectOrganizationKeys: string[];

  @Field(() => String, { nullable: true })
  incidentNumber: string | null;

  @Field(() => String, { nullable: true })
  purpose: string | null;

  @Field(() => String, { nullable: true })
  basis: string | null;

  @Field(() => [ID])
  consentIds: string[];

  @Field(() => [String])
  disclosedCategories: string[];

  @Field(() => Int, { nullable: true })
  policyVersion: number | null;

  @Field(() => String, { nullable: true, description: 'role@version#index of the rule that allowed it.' })
  policyRule: string | null;

  @Field(() => String, { nullable: true })
  requestId: string | null;

  @Field(() => JsonScalar)
  details: Record<string, unknown>;

  @Field(() => JsonScalar, { description: 'This event as a FHIR R4 AuditEvent (C24).' })
  fhir: Record<string, unknown>;

  @Field(() => String, { description: 'The action and its outcome in plain words (docs/audit.md lists them all).' })
  description: string;

  @Field(() => AuditIntegrityEnum, { description: 'Whether this row is what the ledger sealed (C18).' })
  integrity: AuditIntegrity;

  @Field(() => String, { nullable: true, description: 'The name of the acting organisation; null for the service\'s own acts and the operator.' })
  actorOrganizationName: string | null;

  @Field(() => [String], { description: 'The names of subjectOrganizationKeys, in the same order (a key no longer known is given as it is).' })
  subjectOrganizationNames: string[];

  static from(record: AuditRecord & { organizationNames?: Readonly<Record<string, string>> }): AuditEventModel {
    const { sortTime: _sortTime, integrity, organizationNames = {}, ...fields } = record;
    if (!integrity) throw new Error('an audit row is shown only with its integrity');
    return Object.assign(new AuditEventModel(), {
      ...fields,
      integrity,
      actorOrganizationName: organizationNames[record.actorOrganizationKey] ?? null,
      subjectOrganizationNames: record.subjectOrganizationKeys.map((key) => organizationNames[key] ?? key),
      description: describeAuditEvent(record),
      fhir: auditEventToFhir(record),
    });
  }
}

@ObjectType('AuditEventConnection')
export class AuditEventConnection extends Connection(AuditEventModel, 'AuditEvent') {}
