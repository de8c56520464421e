import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '@libs/authorization/actor.js';
import { DataAccess, type ScopedTx } from '@libs/database/data-access.js';
import type { KeysetPage } from '@libs/database/sql.js';
import { BadUserInputError } from '@libs/graphql/errors.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import { AuditRowIntegrity, integrityKey } from '@libs/ledger/audit-integrity.js';
import { type AuditFilter, type AuditRecord, AuditRepository, sealableEventOf } from '@libs/ledger/audit.repository.js';
import { AUDIT_SIGNING_KEY, type AuditSigningKey, publicKeySet } from '@libs/ledger/audit-signing-key.js';
import { type AuditVerification, verifyAuditLedger } from '@libs/ledger/audit-verifier.js';
import { AUDIT_WITNESSES, type AuditWitness } from '@libs/ledger/audit-witness.js';
import { OrganizationsRepository } from '@app/modules/organizations/organizations.repository.js';
import { PatientsRepository } from '@app/modules/patients/patients.repository.js';
import { PatientIdentityRepository } from '@app/modules/patients/patient-identity.repository.js';
import { DISCLOSURE_ACTIONS } from '@app/modules/responder/lookup-decision.js';
import { REFERRAL_OUTCOME_DISCLOSURE } from '@app/modules/referrals/referral.js';

/** Every audit action that discloses a patient's information: lookups, §2.51, outcomes shown to a referring agency (C19). */
const ACCOUNTED_ACTIONS = [...DISCLOSURE_ACTIONS, REFERRAL_OUTCOME_DISCLOSURE];
import { ResponderRepository } from '@app/modules/responder/responder.repository.js';
import { AuditCheckpointModel, type AuditLedgerStateModel } from './audit-ledger-state.model.js';
import { type AccountingFormat, accountingBundle, accountingCsv, accountingFileName, type AccountingScope, type DisclosureEntry, disclosureEntry } from './accounting.js';

const SEQUENCE = /^[1-9][0-9]{0,17}$/;

type DisclosurePart = { patientId: string; organizationKey: string; consentId: string | null; categories: string[] };

/**
 * What a reader may see of one audit event. One lookup can disclose the same person's records
 * at several programs in one event; a program's officer must not learn from it whom another
 * program treats (C9), so unless the reader's organisation acted (it received everything) or
 * oversees all, the event shows only the reader's own program's part.
 */
export function auditViewFor(record: AuditRecord, actor: Actor): AuditRecord {
  const own = actor.principal.org.key;
  if (actor.principal.org.kind === 'OVERSIGHT' || record.actorOrganizationKey === own || record.subjectOrganizationKeys.length <= 1) return record;
  const parts = (record.details.disclosures as DisclosurePart[] | undefined) ?? [];
  const mine = parts.filter((p) => p.organizationKey === own);
  return {
    ...record,
    patientIds: mine.map((p) => p.patientId),
    subjectOrganizationKeys: record.subjectOrganizationKeys.filter((k) => k === own),
    consentIds: mine.flatMap((p) => (p.consentId ? [p.consentId] : [])),
    disclosedCategories: [...new Set(mine.flatMap((p) => p.categories))].sort(),
    details: { ...record.details, disclosures: mine },
  };
}
/** An audit row as shown, with the names of the organisations it shows, by key. */
export type NamedAuditRecord = AuditRecord & { organizationNames: Readonly<Record<string, string>> };

/** HIPAA's six years (164.528): the default window of an accounting of disclosures (C19). */
const ACCOUNTING_YEARS = 6;

function sequenceArgument(value: string | null | undefined, field: string): bigint | undefined {
  if (value === null || value === undefined) return undefined;
  if (!SEQUENCE.test(value)) throw new BadUserInputError([field]);
  return BigInt(value);
}


/**
 * Compliance officers' view of the audit ledger, and the accounting of disclosures. What each
 * caller sees is filtered in SQL by their policy (own organisation as actor or as disclosing
 * program; all for an oversight body), and every read is itself an audit event (C16, C20).
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly data: DataAccess,
    private readonly ledger: AuditLedger,
    private readonly audit: AuditRepository,
    private readonly patients: PatientsRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly responder: ResponderRepository,
    @Inject(AUDIT_SIGNING_KEY) private readonly key: AuditSigningKey,
    @Inject(AUDIT_WITNESSES) private readonly witnesses: AuditWitness[],
    private readonly integrity: AuditRowIntegrity,
    private readonly identities: PatientIdentityRepository,
  ) {}

  /** Each row with whether it is what the ledger sealed, judged on the row as read, before any partial view. */
  private async withIntegrity(db: ScopedTx, records: AuditRecord[]): Promise<AuditRecord[]> {
    const judged = await this.integrity.of(db, records.map(sealableEventOf));
    return records.map((record) => ({ ...record, integrity: judged.get(integrityKey({ sequence: record.sequence, occurredAt: record.sortTime }))! }));
  }

  /**
   * Each row with the names of the organisations it shows (the acting one, those whose records it
   * concerns), after any partial view, so a row names no organisation it does not show. One read of
   * the directory per page; organisations are directory data, never patient data.
   */
  private async withNames(db: ScopedTx, records: AuditRecord[]): Promise<NamedAuditRecord[]> {
    const keys = [...new Set(records.flatMap((r) => [r.actorOrganizationKey, ...r.subjectOrganizationKeys]))];
    const names = new Map(keys.length ? (await this.organizations.findByKeys(db, keys)).map((o) => [o.key, o.name]) : []);
    return records.map((record) => ({
      ...record,
      organizationNames: Object.fromEntries([record.actorOrganizationKey, ...record.subjectOrganizationKeys].flatMap((key) => (names.has(key) ? [[key, names.get(key)!]] : []))),
    }));
  }

  /**
   * Verifies the ledger, and compares it with every checkpoint the witnesses hold (C18): a
   * database that holds less than was witnessed, or other checkpoints, is named. A witness that
   * cannot be read is named in the answer; the rest of the verification still runs.
   */
  async verify(actor: Actor, fromSequence?: string | null, toSequence?: string | null): Promise<AuditVerification & { unavailableWitnesses: string[] }> {
    const from = sequenceArgument(fromSequence, 'fromSequence');
    const to = sequenceArgument(toSequence, 'toSequence');
    if (from !== undefined && to !== undefined && to < from) throw BadUserInputError.of([{ field: 'toSequence', rule: 'MUST_BE_AFTER', limit: 'fromSequence' }]);
    const receipts: string[] = [];
    const unavailableWitnesses: string[] = [];
    for (const witness of this.witnesses) {
      try {
        receipts.push(...(await witness.receipts()));
      } catch {
        unavailableWitnesses.push(witness.name);
      }
    }
    // The chain is checked over every event, whoever asks: the answer holds counts and at most one
    // sequence number, never an event's content (docs/compliance.md, "Verification scope").
    const result = await this.data
      .forSystem('verifyAuditLedger')
      .transaction((db) => verifyAuditLedger(this.audit.readerOn(db), publicKeySet(this.key), { from, to }, { receipts }));
    return this.data.forCaller(actor).transaction(async (db) => {
      await this.ledger.append(db, {
        action: 'verifyAuditLog',
        outcome: 'SUCCESS',
        details: {
          fromSequence: fromSequence ?? null,
          toSequence: toSequence ?? null,
          valid: result.valid,
          firstInvalidSequence: result.firstInvalidSequence,
          reason: result.reason,
          receiptsChecked: result.receiptsChecked,
          unavailableWitnesses,
        },
      });
      return { ...result, unavailableWitnesses };
    });
  }

  /**
   * The ledger's state before anyone verifies it: the last signed checkpoint and which witnesses
   * hold it, the events waiting to be sealed, and the newest verification the caller may see in
   * the log. Counts, times and hashes only; reading it is audited like every audit read (C16).
   */
  async ledgerState(actor: Actor): Promise<AuditLedgerStateModel> {
    const { last, lag } = await this.data
      .forSystem('reportAuditLedger')
      .autocommit(async (db) => ({ last: await this.audit.lastCheckpoint(db), lag: await this.audit.sealingLag(db) }));
    const witnessedBy: string[] = [];
    const unavailableWitnesses: string[] = [];
    for (const witness of this.witnesses.filter((w) => w.holdsHeads)) {
      try {
        const held = await witness.newest();
        if (last && held && held.payload.checkpoint >= Number(last.checkpoint)) witnessedBy.push(witness.name);
      } catch {
        unavailableWitnesses.push(witness.name);
      }
    }
    return this.data.forCaller(actor).transaction(async (db) => {
      const [verification] = (await this.audit.page(db, { action: 'verifyAuditLog' }, 1, null)).items;
      await this.ledger.append(db, {
        action: 'auditLedgerState',
        outcome: 'SUCCESS',
        details: { lastCheckpoint: last ? Number(last.checkpoint) : null, eventsNotSealed: lag.unsealedEvents, witnessedBy, unavailableWitnesses },
      });
      const details = verification?.details ?? {};
      const text = (value: unknown) => (typeof value === 'string' ? value : null);
      return {
        lastCheckpoint: last ? AuditCheckpointModel.from(last) : null,
        witnessedBy,
        unavailableWitnesses,
        eventsNotSealed: lag.unsealedEvents,
        oldestNotSealedSeconds: lag.unsealedEvents === 0 ? 0 : Math.round(lag.lagSeconds * 10) / 10,
        lastVerification: verification
          ? {
              verifiedAt: verification.occurredAt,
              verifiedBy: verification.actorName ?? verification.actorSubject,
              valid: details.valid === true,
              firstInvalidSequence: text(details.firstInvalidSequence),
              reason: text(details.reason),
              fromSequence: text(details.fromSequence),
              toSequence: text(details.toSequence),
            }
          : null,
      };
    });
  }

  /** The checkpoint whose range holds this sequence (whether the row still matches it is `integrity`); null when not sealed yet. */
  async sealingCheckpoint(sequence: string): Promise<AuditCheckpointModel | null> {
    const covering = await this.data.forSystem('reportAuditLedger').autocommit((db) => this.audit.checkpointsCovering(db, [sequence]));
    const row = covering.get(sequence);
    return row ? AuditCheckpointModel.from(row) : null;
  }

  /** The newest signed checkpoint, for anyone to keep as a receipt (/.well-known/audit-head): hashes only, no PHI. */
  async newestCheckpoint(): Promise<{ checkpoint: number; firstSequence: string; lastSequence: string; head: string; sealedAt: string; jws: string } | null> {
    const row = await this.data.forSystem('reportAuditLedger').autocommit((db) => this.audit.lastCheckpoint(db));
    if (!row) return null;
    return { checkpoint: Number(row.checkpoint), firstSequence: row.first_sequence, lastSequence: row.last_sequence, head: row.head, sealedAt: new Date(row.sealed_at).toISOString(), jws: row.jws };
  }

  list(actor: Actor, filter: AuditFilter, limit: number, after: readonly [string, string] | null): Promise<KeysetPage<NamedAuditRecord>> {
    if (filter.from && filter.to && filter.to <= filter.from) throw BadUserInputError.of([{ field: 'to', rule: 'MUST_BE_AFTER', limit: 'from' }]);
    return this.data.forCaller(actor).transaction(async (db) => {
      const page = await this.audit.page(db, filter, limit, after);
      await this.ledger.append(db, { action: 'auditEvents', outcome: 'SUCCESS', details: { filter: { ...filter }, count: page.items.length } });
      return { items: await this.withNames(db, (await this.withIntegrity(db, page.items)).map((record) => auditViewFor(record, actor))), hasNextPage: page.hasNextPage };
    });
  }

  get(actor: Actor, id: string): Promise<NamedAuditRecord | null> {
    return this.data.forCaller(actor).transaction(async (db) => {
      const record = await this.audit.findById(db, id);
      await this.ledger.append(db, { action: 'auditEvent', outcome: 'SUCCESS', details: { auditEventId: record?.id ?? null, found: record !== null } });
      return record ? (await this.withNames(db, [auditViewFor((await this.withIntegrity(db, [record]))[0], actor)]))[0] : null;
    });
  }

  /**
   * Every disclosure of a patient's records — by consent and in medical emergencies — with when,
   * to whom (organisation and person), what in words, and why (C19). For the owning provider's
   * staff and compliance officers; anyone else gets the empty answer of an unknown patient.
   */
  accounting(actor: Actor, patientId: string, from?: Date | null, to?: Date | null): Promise<{ entries: DisclosureEntry[]; records: Map<string, AuditRecord>; scope: AccountingScope }> {
    const until = to ?? new Date(Date.now() + 60_000);
    const since = from ?? new Date(new Date(until).setUTCFullYear(until.getUTCFullYear() - ACCOUNTING_YEARS));
    if (until <= since) throw BadUserInputError.of([{ field: 'to', rule: 'MUST_BE_AFTER', limit: 'from' }]);
    return this.data.forCaller(actor).transaction(async (db) => {
      const patient = await this.patients.findById(db, patientId, 'Disclosure.read');
      const records = patient ? await this.withIntegrity(db, await this.audit.disclosuresOf(db, patient.id, ACCOUNTED_ACTIONS, since, until)) : [];
      const organizations = new Map((await this.organizations.findByKeys(db, [...new Set(records.map((r) => r.actorOrganizationKey))])).map((o) => [o.key, o.name]));
      const emergencies = await this.responder.naturesOfEmergency(db, records.filter((r) => r.basis === 'MEDICAL_EMERGENCY').map((r) => r.id));
      const family = patient ? await this.identities.familyOf(db, patient.id) : [];
      const entries = records.map((r) => disclosureEntry(r, family, organizations, emergencies));
      await this.ledger.append(db, {
        action: 'accountingOfDisclosures',
        outcome: 'SUCCESS',
        patientIds: patient ? [patient.id] : [],
        subjectOrganizationKeys: patient ? [patient.organizationKey] : [],
        details: { from: since.toISOString(), to: until.toISOString(), count: entries.length },
      });
      // Another organisation's patient is answered like an unknown one: no program named (C9).
      const program = patient ? await this.organizations.findById(db, patient.organizationId) : null;
      const scope = { patientId: patient ? patient.id : patientId, programKey: program?.key ?? '', programName: program?.name ?? '', from: since, to: until };
      return { entries, records: new Map(records.map((r) => [r.id, r])), scope };
    });
  }

  async exportAccounting(actor: Actor, patientId: string, format: AccountingFormat, from?: Date | null, to?: Date | null): Promise<{ contentType: string; content: string; fileName: string }> {
    const { entries, records, scope } = await this.accounting(actor, patientId, from, to);
    switch (format) {
      case 'CSV':
        return { contentType: 'text/csv; charset=utf-8', content: accountingCsv(entries, scope), fileName: accountingFileName(scope, 'csv') };
      case 'FHIR_BUNDLE':
        return { contentType: 'application/fhir+json', content: JSON.stringify(accountingBundle(entries, records, scope.patientId)), fileName: accountingFileName(scope, 'json') };
    }
  }
}
