import { permittedFieldsOf } from '@casl/ability/extra';
import { Injectable } from '@nestjs/common';
import type { Actor } from '@libs/authorization/actor.js';
import { RESPONDER_FIELDS } from '@libs/authorization/vocabulary.js';
import { AppConfig } from '@libs/config/app-config.js';
import { FieldCipher } from '@libs/crypto/field-cipher.js';
import { DataAccess, type ScopedTx } from '@libs/database/data-access.js';
import { ForbiddenError, RateLimitedError } from '@libs/graphql/errors.js';
import type { AppendedAuditEvent, AuditEventInput } from '@libs/ledger/audit-event.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import { type RateLimit, RateLimiter, type RecordedAttempt } from '@libs/ledger/rate-limiter.js';
import type { ConsentPurpose } from '@app/modules/consents/consent.js';
import { matchKeyInput } from '@app/modules/patients/identity-normalizer.js';
import { REDISCLOSURE_NOTICE, USE_RESTRICTION } from './disclosure-notices.js';
import type { EmergencyAccessInput, LookupInput, PersonIdentityInput } from './dto/lookup.input.js';
import { decideLookup, type DisclosedRecordData, DISCLOSURE_OPERATIONS, type DisclosureOperation, type LookupDecision, type LookupOutcome } from './lookup-decision.js';
import { ResponderRepository } from './responder.repository.js';

/** The answer to a responder: identical for every "no" but for disclosureId and asOf (C9). */
export interface LookupAnswer {
  outcome: LookupOutcome;
  disclosureId: string;
  asOf: Date;
  records: DisclosedRecordData[];
  redisclosureNotice: string | null;
  useRestriction: string | null;
}

interface DisclosureContext {
  operation: DisclosureOperation;
  purpose: ConsentPurpose;
  limit: RateLimit;
  natureOfEmergency?: string;
}

/**
 * The responder's one question, answered minimally (C10), with a legal basis (C2), the same way
 * for every "no" (C9), and audited with the reads (C16, C17).
 */
@Injectable()
export class ResponderService {
  constructor(
    private readonly data: DataAccess,
    private readonly responder: ResponderRepository,
    private readonly ledger: AuditLedger,
    private readonly rateLimiter: RateLimiter,
    private readonly cipher: FieldCipher,
    private readonly config: AppConfig,
  ) {}

  lookup(actor: Actor, input: LookupInput): Promise<LookupAnswer> {
    const limit = { attempts: this.config.env.LOOKUP_RATE_LIMIT_PER_HOUR, windowSeconds: 3600 };
    return this.disclose(actor, input, { operation: 'responderLookup', purpose: input.purpose, limit });
  }

  /** §2.51: medical personnel only (the policy decides), the nature of the emergency stated, recorded before answering. */
  async emergencyAccess(actor: Actor, input: EmergencyAccessInput): Promise<LookupAnswer> {
    // §2.51(c) records the name of the medical personnel; an opaque sub is not a name (C15).
    if (!actor.principal.named) {
      await this.data.forCaller(actor).transaction((db) => this.ledger.append(db, { action: 'emergencyAccess', outcome: 'DENIED', details: { reason: 'NO_NAME_CLAIM' } }));
      throw new ForbiddenError();
    }
    const limit = { attempts: this.config.env.EMERGENCY_RATE_LIMIT_PER_DAY, windowSeconds: 86_400 };
    return this.disclose(actor, input, { operation: 'emergencyAccess', purpose: 'CRISIS_RESPONSE', limit, natureOfEmergency: input.natureOfEmergency.trim() });
  }

  /**
   * One read, one audit append, then the answer (C16, C17). A lookup needs no transaction
   * around them: the append is a single statement that is its own transaction, and it is
   * committed before anything is returned. An emergency access adds the §2.51(c) records, so it
   * reads, appends and records inside one transaction.
   */
  private async disclose(actor: Actor, identity: PersonIdentityInput, context: DisclosureContext): Promise<LookupAnswer> {
    const scope = this.data.forCaller(actor);
    const emergency = DISCLOSURE_OPERATIONS[context.operation].basis === 'MEDICAL_EMERGENCY';
    const { now, decision, attempt } = emergency
      ? await scope.transaction(async (db) => {
          const read = await this.readDecideAndRecord(db, actor, identity, context);
          // §2.51(c): recorded for each disclosing program before the answer is sent (C15).
          if (!read.attempt.rateLimited) await this.recordEmergency(db, actor, identity, context, read.decision, read.attempt);
          return read;
        })
      : await scope.autocommit((db) => this.readDecideAndRecord(db, actor, identity, context));
    // The refusal is audited and committed first; only then is the caller told (C16).
    if (attempt.rateLimited) throw new RateLimitedError(attempt.retryAfterSeconds);
    return this.answer(now, decision, attempt);
  }

  /** The same statements whatever the outcome, rate limit included: no early return (C9). */
  private async readDecideAndRecord(db: ScopedTx, actor: Actor, identity: PersonIdentityInput, context: DisclosureContext) {
    const { principal } = actor;
    const { policyAction, basis } = DISCLOSURE_OPERATIONS[context.operation];
    const searched = matchKeyInput(identity.familyName, identity.dateOfBirth, identity.givenName);
    const { now, candidates } = await this.responder.candidates(db, this.cipher.blindIndex(searched), principal.org.id);
    const permittedFields = new Set(permittedFieldsOf(actor.ability, policyAction, 'ResponderView', { fieldsFrom: (rule) => rule.fields ?? [...RESPONDER_FIELDS] }));
    const decision = decideLookup(candidates, {
      callerOrganizationId: principal.org.id,
      callerOrganizationName: principal.org.name,
      basis,
      purpose: context.purpose,
      permittedFields,
      at: now,
    });
    const event: AuditEventInput = {
      action: context.operation,
      outcome: decision.records.length > 0 ? 'DISCLOSED' : 'NOT_DISCLOSED',
      // Only what was disclosed: an undisclosed match must not show in anyone's audit view (C9).
      patientIds: decision.disclosures.map((d) => d.patientId),
      subjectOrganizationKeys: decision.disclosures.map((d) => d.organizationKey),
      incidentNumber: identity.incidentNumber,
      purpose: basis === 'CONSENT' ? context.purpose : undefined,
      basis,
      consentIds: decision.disclosures.flatMap((d) => (d.consentId ? [d.consentId] : [])),
      disclosedCategories: [...new Set(decision.disclosures.flatMap((d) => d.categories))].sort(),
      details: {
        searchedIdentity: this.cipher.auditSubject(searched),
        disclosures: decision.disclosures.map((d) => ({
          patientId: d.patientId,
          organizationKey: d.organizationKey,
          consentId: d.consentId,
          partnershipAgreementId: d.partnershipAgreementId,
          categories: d.categories,
        })),
      },
    };
    return { now, decision, attempt: await this.rateLimiter.attempt(db, event, context.limit) };
  }

  private async recordEmergency(db: ScopedTx, actor: Actor, identity: PersonIdentityInput, context: DisclosureContext, decision: LookupDecision, appended: AppendedAuditEvent): Promise<void> {
    const { principal } = actor;
    for (const d of decision.disclosures) {
      await this.responder.insertEmergencyRecord(db, {
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

  private answer(now: Date, decision: LookupDecision, attempt: RecordedAttempt): LookupAnswer {
    const disclosed = decision.records.length > 0;
    return {
      outcome: disclosed ? 'INFORMATION_AVAILABLE' : 'NO_INFORMATION',
      disclosureId: attempt.id,
      asOf: now,
      records: decision.records,
      redisclosureNotice: disclosed ? REDISCLOSURE_NOTICE : null,
      useRestriction: disclosed ? USE_RESTRICTION : null,
    };
  }
}
