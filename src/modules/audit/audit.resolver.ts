import { Args, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type Actor, CurrentActor } from '@libs/authorization/actor.js';
import { RequirePolicy } from '@libs/authorization/require-policy.decorator.js';
import { decodeCursor, encodeCursor, pageSize, toConnection } from '@libs/graphql/pagination.js';
import { AuditEventConnection, AuditEventFilter, AuditEventModel, AuditVerificationModel } from './audit.model.js';
import type { AccountingFormat } from './accounting.js';
import { AuditCheckpointModel, AuditLedgerStateModel } from './audit-ledger-state.model.js';
import { AuditService } from './audit.service.js';
import { AccountingFormatEnum, DisclosureExportModel, DisclosureModel } from './disclosure.model.js';

@Resolver(() => AuditEventModel)
export class AuditResolver {
  constructor(private readonly service: AuditService) {}

  @Query(() => AuditVerificationModel, { description: 'Recomputes the hash chain and checks every checkpoint signature (C18).' })
  @RequirePolicy('verify', 'AuditEvent')
  async verifyAuditLog(
    @CurrentActor() actor: Actor,
    @Args('fromSequence', { type: () => String, nullable: true }) fromSequence?: string,
    @Args('toSequence', { type: () => String, nullable: true }) toSequence?: string,
  ): Promise<AuditVerificationModel> {
    return Object.assign(new AuditVerificationModel(), await this.service.verify(actor, fromSequence, toSequence));
  }

  @Query(() => AuditLedgerStateModel, { description: 'The last signed checkpoint, who witnessed it, events not sealed yet and the newest verification you may see; audited.' })
  @RequirePolicy('verify', 'AuditEvent')
  async auditLedgerState(@CurrentActor() actor: Actor): Promise<AuditLedgerStateModel> {
    return Object.assign(new AuditLedgerStateModel(), await this.service.ledgerState(actor));
  }

  // Read only for an event the caller was already given (auditEvent, auditEvents), whose read is audited.
  @ResolveField('sealedBy', () => AuditCheckpointModel, { nullable: true, description: 'The checkpoint whose range holds this event; null while it is not sealed. `integrity` says whether the row still matches it.' })
  async sealedBy(@Parent() event: AuditEventModel): Promise<AuditCheckpointModel | null> {
    return this.service.sealingCheckpoint(event.sequence);
  }

  @Query(() => AuditEventConnection, { description: 'Audit events you may see, newest first. Reading them is audited.' })
  @RequirePolicy('read', 'AuditEvent')
  async auditEvents(
    @CurrentActor() actor: Actor,
    @Args('filter', { type: () => AuditEventFilter, nullable: true }) filter?: AuditEventFilter,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<AuditEventConnection> {
    const page = await this.service.list(actor, filter ?? {}, pageSize(first), decodeCursor(after, ['time', 'sequence']) as [string, string] | null);
    const keys = new Map(page.items.map((r) => [r.id, [r.sortTime, r.sequence] as const]));
    return toConnection({ items: page.items.map(AuditEventModel.from), hasNextPage: page.hasNextPage }, (m) => encodeCursor(keys.get(m.id)!));
  }

  @Query(() => AuditEventModel, { nullable: true, description: 'Null for an unknown id and for an event you may not see alike.' })
  @RequirePolicy('read', 'AuditEvent')
  async auditEvent(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<AuditEventModel | null> {
    const record = await this.service.get(actor, id);
    return record ? AuditEventModel.from(record) : null;
  }
}

@Resolver(() => DisclosureModel)
export class AccountingResolver {
  constructor(private readonly service: AuditService) {}

  @Query(() => [DisclosureModel], { description: 'Every disclosure of a patient\'s records (default: the last six years), oldest first.' })
  @RequirePolicy('read', 'Disclosure')
  async accountingOfDisclosures(
    @CurrentActor() actor: Actor,
    @Args('patientId', { type: () => ID }) patientId: string,
    @Args('from', { type: () => Date, nullable: true }) from?: Date,
    @Args('to', { type: () => Date, nullable: true }) to?: Date,
  ): Promise<DisclosureModel[]> {
    return (await this.service.accounting(actor, patientId, from, to)).entries.map(DisclosureModel.from);
  }

  @Query(() => DisclosureExportModel, { description: 'The accounting of disclosures as CSV or as a FHIR R4 Bundle of AuditEvents.' })
  @RequirePolicy('read', 'Disclosure')
  async accountingOfDisclosuresExport(
    @CurrentActor() actor: Actor,
    @Args('patientId', { type: () => ID }) patientId: string,
    // Typed as the string union, not the enum object: the validation pipe would treat the enum as a class.
    @Args('format', { type: () => AccountingFormatEnum }) format: AccountingFormat,
    @Args('from', { type: () => Date, nullable: true }) from?: Date,
    @Args('to', { type: () => Date, nullable: true }) to?: Date,
  ): Promise<DisclosureExportModel> {
    const exported = await this.service.exportAccounting(actor, patientId, format, from, to);
    return Object.assign(new DisclosureExportModel(), { format, ...exported });
  }
}
