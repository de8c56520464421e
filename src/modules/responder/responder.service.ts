import { permittedFieldsOf } from '@casl/ability/extra';
import { Injectable } from '@nestjs/common';
import type { Actor } from '@libs/authorization/actor.js';
import { AppConfig } from '@libs/config/app-config.js';
import { FieldCipher } from '@libs/crypto/field-cipher.js';
import { TransactionRunner, type Tx } from '@libs/database/transaction-runner.js';
import { ForbiddenError, RateLimitedError } from '@libs/graphql/errors.js';
import type { AppendedAuditEvent, AuditEventInput } from '@libs/ledger/audit-event.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import type { ConsentPurpose } from '@app/modules/consents/consent.js';
import { matchKeyInput } from '@app/modules/patients/identity-normalizer.js';
import { REDISCLOSURE_NOTICE, USE_RESTRICTION } from './disclosure-notices.js';
import { decideLookup, type DisclosedRecordData, type DisclosureBasis, type LookupDecision, RESPONDER_FIELDS } from './lookup-decision.js';
import { ResponderRepository } from './responder.repository.js';

export interface PersonIdentity {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  incidentNumber: string;
}

/** The answer to a responder: identical for every "no" but for disclosureId and asOf (C9). */
export interface LookupAnswer {
  outcome: 'INFORMATION_AVAILABLE' | 'NO_INFORMATION';
  disclosureId: string;
  asOf: Date;
  records: DisclosedRecordData[];
  redisclosureNotice: string | null;
  useRestriction: string | null;
}

interface DisclosureContext {
  action: 'responderLookup' | 'emergencyAccess';
  /** The CASL action whose field rules limit what is disclosed. */
  abilityAction: 'lookup' | 'emergency-access';
  basis: DisclosureBasis;
  purpose: ConsentPurpose;
  limit: number;
  windowSeconds: number;
  natureOfEmergency?: string;
}

/**
 * The responder's one question, answered minimally (C10), with a legal basis (C2), the same way
 * for every "no" (C9), and audited in the same transaction as the reads (C16, C17).
 */
@Injectable()
export class ResponderService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly responder: ResponderRepository,
    private readonly ledger: AuditLedger,
    private readonly cipher: FieldCipher,
    private readonly config: AppConfig,
  ) {}

  lookup(actor: Actor, input: PersonIdentity & { purpose: ConsentPurpose }): Promise<LookupAnswer> {
    return this.disclose(actor, input, {
      action: 'responderLookup',
      abilityAction: 'lookup',
      basis: 'CONSENT',
      purpose: input.purpose,
      limit: this.config.env.LOOKUP_RATE_LIMIT_PER_HOUR,
      windowSeconds: 3600,
    });
  }

  /** §2.51: medical personnel only (the policy decides), the nature of the emergency stated, recorded before answering. */
  async emergencyAccess(actor: Actor, input: PersonIdentity & { natureOfEmergency: string }): Promise<LookupAnswer> {
    // §2.51(c) records the name of the medical personnel; an opaque sub is not a name (C15).
    if (!actor.principal.named) {
      await this.transactions.run((tx) => this.ledger.append(tx, actor, { action: 'emergencyAccess', outcome: 'DENIED', details: { reason: 'NO_NAME_CLAIM' } }));
      throw new ForbiddenError();
    }
    return this.disclose(actor, input, {
      action: 'emergencyAccess',
      abilityAction: 'emergency-access',
      basis: 'MEDICAL_EMERGENCY',
      purpose: 'CRISIS_RESPONSE',
      limit: this.config.env.EMERGENCY_RATE_LIMIT_PER_DAY,
      windowSeconds: 86_400,
      natureOfEmergency: input.natureOfEmergency.trim(),
    });
  }

  /**
   * One read, one audit append, then the answer (C16, C17). A lookup needs no transaction
   * around them: the append is a single statement that is its own transaction, and it is
   * committed before anything is returned. An emergency access adds the §2.51(c) records, so it
   * reads, appends and records inside one transaction.
   */
  private async disclose(actor: Actor, identity: PersonIdentity, context: DisclosureContext): Promise<LookupAnswer> {
    const limit = { attempts: context.limit, windowSeconds: context.windowSeconds };
    let retryAfterSeconds: number | undefined;
    const answer =
      context.basis === 'MEDICAL_EMERGENCY'
        ? await this.transactions.run(async (tx) => {
            const { now, decision, event } = await this.readAndDecide(tx, actor, identity, context);
            const appended = await this.ledger.appendWithinRateLimit(tx, actor, event, limit);
            retryAfterSeconds = appended.retryAfterSeconds;
            // §2.51(c): recorded for each disclosing program before the answer is sent (C15).
            if (!appended.rateLimited) await this.recordEmergency(tx, actor, identity, context, decision, appended);
            return this.answer(now, decision, appended);
          })
        : await this.transactions.autocommit(async (db) => {
            const { now, decision, event } = await this.readAndDecide(db, actor, identity, context);
            const appended = await this.ledger.appendWithinRateLimit(db, actor, event, limit);
            retryAfterSeconds = appended.retryAfterSeconds;
            return this.answer(now, decision, appended);
          });
    // The refusal is audited and committed first; only then is the caller told (C16).
    if (!answer) throw new RateLimitedError(retryAfterSeconds);
    return answer;
  }

  /** The same statements whatever the outcome, rate limit included: no early return (C9). */
  private async readAndDecide(db: Tx, actor: Actor, identity: PersonIdentity, context: DisclosureContext) {
    const { principal } = actor;
    const searched = matchKeyInput(identity.familyName, identity.dateOfBirth, identity.givenName);
    const { now, candidates } = await this.responder.candidates(db, this.cipher.blindIndex(searched), principal.org.id);
    const permittedFields = new Set(
      permittedFieldsOf(actor.ability, context.abilityAction, 'ResponderView', { fieldsFrom: (rule) => rule.fields ?? [...RESPONDER_FIELDS] }),
    );
    const decision = decideLookup(candidates, {
      callerOrganizationId: principal.org.id,
      callerOrganizationName: principal.org.name,
      basis: context.basis,
      purpose: context.purpose,
      permittedFields,
      at: now,
    });
    const event: AuditEventInput = {
      action: context.action,
      outcome: decision.records.length > 0 ? 'DISCLOSED' : 'NOT_DISCLOSED',
      // Only what was disclosed: an undisclosed match must not show in anyone's audit view (C9).
      patientIds: decision.disclosures.map((d) => d.patientId),
      subjectOrganizationKeys: decision.disclosures.map((d) => d.organizationKey),
      incidentNumber: identity.incidentNumber,
      purpose: context.basis === 'CONSENT' ? context.purpose : undefined,
      basis: context.basis,
      consentIds: decision.disclosures.flatMap((d) => (d.consentId ? [d.consentId] : [])),
      disclosedCategories: [...new Set(decision.disclosures.flatMap((d) => d.categories))].sort(),
      details: {
        searchedIdentity: this.cipher.auditSubject(searched),
        disclosures: decision.disclosures.map((d) => ({ patientId: d.patientId, organizationKey: d.organizationKey, consentId: d.consentId, categories: d.categories })),
      },
    };
    return { now, decision, event };
  }

  private async recordEmergency(tx: Tx, actor: Actor, identity: PersonIdentity, context: DisclosureContext, decision: LookupDecision, appended: AppendedAuditEvent): Promise<void> {
    const { principal } = actor;
    for (const d of decision.disclosures) {
      await this.responder.insertEmergencyRecord(tx, {
        auditEventId: appended.id,
        programOrganizationId: d.organizationId,
        patientId: d.patientId,
        requesterSub: principal.sub,
        requesterName: principal.name,
        requesterAffiliation: principal.org.name,
        requesterOrganizationId: principal.org.id,
        disclosedBy: `crisis-link, on behalf of ${d.organizationName}`,
        occurredAt: appended.occurredAt,
        natureOfEmergency: context.natureOfEmergency!,
        incidentNumber: identity.incidentNumber,
        disclosedCategories: d.categories,
      });
    }
  }

  /** Null when the attempt was over the rate limit (its refusal is what was audited). */
  private answer(now: Date, decision: LookupDecision, appended: AppendedAuditEvent & { rateLimited: boolean }): LookupAnswer | null {
    if (appended.rateLimited) return null;
    const disclosed = decision.records.length > 0;
    return {
      outcome: disclosed ? 'INFORMATION_AVAILABLE' : 'NO_INFORMATION',
      disclosureId: appended.id,
      asOf: now,
      records: decision.records,
      redisclosureNotice: disclosed ? REDISCLOSURE_NOTICE : null,
      useRestriction: disclosed ? USE_RESTRICTION : null,
    };
  }
}
