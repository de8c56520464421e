import { Injectable } from '@nestjs/common';
import type { Actor } from '@libs/authorization/actor.js';
import { decide } from '@libs/authorization/ability.js';
import { TransactionRunner, type Tx } from '@libs/database/transaction-runner.js';
import { BadUserInputError, type ProblemSpec } from '@libs/graphql/errors.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import { EnrollmentsRepository } from '@app/modules/enrollments/enrollments.repository.js';
import { combinedSensitivity } from '@app/modules/enrollments/enrollment.js';
import { OrganizationsRepository } from '@app/modules/organizations/organizations.repository.js';
import { isUuid, PatientsService } from '@app/modules/patients/patients.service.js';
import type { Patient } from '@app/modules/patients/patient.js';
import {
  type Consent,
  type ConsentPurpose,
  consentStatusAt,
  type ConsentStatus,
  type DataCategory,
  factsOf,
  revokedRecipientsAt,
  type RevocationMethod,
  type SignerRelationship,
} from './consent.js';
import { consentToFhir, type ConsentSensitivity } from './consent-fhir.js';
import { describeScope, writeReceipt } from './consent-wording.js';
import { ConsentsRepository } from './consents.repository.js';

export interface NewConsent {
  patientId: string;
  recipientOrganizationKeys: string[];
  purpose: ConsentPurpose;
  dataCategories: DataCategory[];
  effectiveFrom?: Date | null;
  expiresAt: Date;
  expirationEvent?: string | null;
  signedBy: { name: string; relationship: SignerRelationship };
  signedAt: Date;
  acknowledgements: { rightToRevoke: boolean; treatmentNotConditioned: boolean; redisclosureRestricted: boolean };
  supersedesConsentId?: string | null;
}

export interface Revocation {
  consentId: string;
  recipientOrganizationKeys?: string[] | null;
  method: RevocationMethod;
  receivedAt: Date;
}

/** A consent as the provider sees it at one instant. */
export interface ConsentView {
  consent: Consent;
  status: ConsentStatus;
  asOf: Date;
  receipt: string;
  fhir: Record<string, unknown>;
  versions: ConsentView[];
}

/** A signature a few minutes "in the future" is clock skew between the provider's device and ours. */
const SIGNATURE_CLOCK_SKEW_MS = 5 * 60_000;
/** An expiration event has to be an event, not a way of saying "never" (C4.7). */
const NOT_AN_EXPIRY = /^\s*(none|never|no expiration|no expiry|n\/?a|indefinite(ly)?|end of treatment)\s*$/i;

const dateOnly = (date: Date) => date.toISOString().slice(0, 10);

/**
 * 42 CFR Part 2 consents (C4-C7): recorded with every §2.31(a) element or refused naming the
 * missing one; changed only by superseding; revoked wholly or per recipient by rows of their own;
 * status computed at read time. Only the owning provider organisation sees or changes them.
 */
@Injectable()
export class ConsentsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly consents: ConsentsRepository,
    private readonly patients: PatientsService,
    private readonly organizations: OrganizationsRepository,
    private readonly enrollments: EnrollmentsRepository,
    private readonly ledger: AuditLedger,
  ) {}

  record(actor: Actor, input: NewConsent): Promise<ConsentView> {
    return this.transactions.run((tx) => this.recordIn(tx, actor, input));
  }

  /** Also used by the demo seed, inside its transaction. */
  async recordIn(tx: Tx, actor: Actor, input: NewConsent): Promise<ConsentView> {
    const patient = await this.patients.findAccessible(tx, actor, input.patientId, 'update');
    if (!patient || !decide(actor.ability, 'create', 'Consent', { organizationKey: patient.organizationKey }).allowed) {
      throw new BadUserInputError(['patientId'], 'NOT_FOUND');
    }
    const now = await this.consents.now(tx);
    const recipients = await this.recipientsOf(tx, input.recipientOrganizationKeys, patient);
    const effectiveFrom = input.effectiveFrom ?? now;
    const problems: ProblemSpec[] = [];
    if (input.expiresAt.getTime() <= now.getTime()) problems.push({ field: 'expiresAt', rule: 'MUST_BE_IN_FUTURE' });
    else if (input.expiresAt.getTime() <= effectiveFrom.getTime()) problems.push({ field: 'expiresAt', rule: 'MUST_BE_AFTER', limit: 'effectiveFrom' });
    if (input.signedAt.getTime() > now.getTime() + SIGNATURE_CLOCK_SKEW_MS) problems.push({ field: 'signedAt', rule: 'MUST_NOT_BE_IN_FUTURE' });
    if (input.expirationEvent && NOT_AN_EXPIRY.test(input.expirationEvent)) problems.push({ field: 'expirationEvent', rule: 'NOT_ALLOWED_VALUE' });
    if (problems.length > 0) throw BadUserInputError.of(problems);

    let lineageId: string | null = null;
    let version = 1;
    let previous: Consent | null = null;
    if (input.supersedesConsentId) {
      previous = await this.findOwned(tx, actor, input.supersedesConsentId, 'update');
      if (!previous || previous.patientId !== patient.id) throw new BadUserInputError(['supersedesConsentId'], 'NOT_FOUND');
      await this.consents.lockLineage(tx, previous.lineageId);
      previous = (await this.consents.findById(tx, previous.id))!;
      const status = consentStatusAt(factsOf(previous), now);
      if (status === 'SUPERSEDED') throw new BadUserInputError(['supersedesConsentId'], 'ALREADY_SUPERSEDED');
      if (status === 'REVOKED') throw new BadUserInputError(['supersedesConsentId'], 'ALREADY_REVOKED');
      lineageId = previous.lineageId;
      version = previous.version + 1;
    }

    const scopeDescription = describeScope({
      givenName: patient.givenName,
      program: actor.principal.org.name,
      categories: input.dataCategories,
      purpose: input.purpose,
      recipients: recipients.map((r) => r.name),
      expiresOn: dateOnly(input.expiresAt),
      expirationEvent: input.expirationEvent?.trim() || null,
    });
    const id = await this.consents.insert(tx, {
      lineageId,
      version,
      supersedesConsentId: previous?.id ?? null,
      patientId: patient.id,
      organizationId: patient.organizationId,
      recipientOrganizationIds: recipients.map((r) => r.id),
      purpose: input.purpose,
      dataCategories: [...new Set(input.dataCategories)],
      effectiveFrom,
      expiresAt: input.expiresAt,
      expirationEvent: input.expirationEvent?.trim() || null,
      signerName: input.signedBy.name.trim(),
      signerRelationship: input.signedBy.relationship,
      signedAt: input.signedAt,
      acknowledgements: input.acknowledgements,
      scopeDescription,
      recordedBy: actor.principal.sub,
    });
    await this.ledger.append(tx, actor, {
      action: previous ? 'supersedeConsent' : 'recordConsent',
      outcome: 'SUCCESS',
      patientIds: [patient.id],
      subjectOrganizationKeys: [patient.organizationKey],
      consentIds: previous ? [id, previous.id] : [id],
      purpose: input.purpose,
      details: { consentId: id, supersedesConsentId: previous?.id ?? null, recipients: recipients.map((r) => r.key), dataCategories: input.dataCategories },
    });
    return this.view(tx, patient, (await this.consents.findById(tx, id))!, await this.consents.now(tx));
  }

  revoke(actor: Actor, input: Revocation): Promise<ConsentView> {
    return this.transactions.run(async (tx) => {
      let consent = await this.findOwned(tx, actor, input.consentId, 'revoke');
      if (!consent) throw new BadUserInputError(['consentId'], 'NOT_FOUND');
      await this.consents.lockLineage(tx, consent.lineageId);
      consent = (await this.consents.findById(tx, consent.id))!;
      const now = await this.consents.now(tx);
      const facts = factsOf(consent);
      const status = consentStatusAt(facts, now);
      if (status === 'SUPERSEDED') throw new BadUserInputError(['consentId'], 'ALREADY_SUPERSEDED');
      if (status === 'REVOKED') throw new BadUserInputError(['consentId'], 'ALREADY_REVOKED');
      if (input.receivedAt.getTime() > now.getTime() + SIGNATURE_CLOCK_SKEW_MS) throw BadUserInputError.of([{ field: 'receivedAt', rule: 'MUST_NOT_BE_IN_FUTURE' }]);
      if (input.receivedAt.getTime() < consent.signedAt.getTime()) throw BadUserInputError.of([{ field: 'receivedAt', rule: 'MUST_BE_AFTER', limit: 'signedAt' }]);
      const alreadyRevoked = revokedRecipientsAt(facts, now);
      let recipientIds: string[] = [];
      const whole = !input.recipientOrganizationKeys;
      if (input.recipientOrganizationKeys) {
        const byKey = new Map(consent.recipients.map((r) => [r.key, r]));
        const chosen = input.recipientOrganizationKeys.map((key) => byKey.get(key));
        if (chosen.some((r) => !r)) throw new BadUserInputError(['recipientOrganizationKeys'], 'NOT_A_RECIPIENT');
        recipientIds = chosen.map((r) => r!.id);
        if (recipientIds.some((id) => alreadyRevoked.has(id))) throw new BadUserInputError(['recipientOrganizationKeys'], 'ALREADY_REVOKED');
      }
      const revocationId = await this.consents.insertRevocation(tx, {
        consentId: consent.id,
        whole,
        recipientOrganizationIds: recipientIds,
        method: input.method,
        receivedAt: input.receivedAt,
        recordedBy: actor.principal.sub,
      });
      await this.ledger.append(tx, actor, {
        action: 'revokeConsent',
        outcome: 'SUCCESS',
        patientIds: [consent.patientId],
        subjectOrganizationKeys: [consent.disclosingOrganization.key],
        consentIds: [consent.id],
        details: { revocationId, whole, recipients: input.recipientOrganizationKeys ?? consent.recipients.map((r) => r.key), method: input.method },
      });
      const patient = (await this.patients.findAccessible(tx, actor, consent.patientId, 'read'))!;
      return this.view(tx, patient, (await this.consents.findById(tx, consent.id))!, await this.consents.now(tx));
    });
  }

  /** One consent with its versions, or null for another organisation's consent exactly as for an unknown id. */
  get(actor: Actor, id: string): Promise<ConsentView | null> {
    return this.transactions.run(async (tx) => {
      const consent = await this.findOwned(tx, actor, id, 'read');
      const patient = consent ? await this.patients.findAccessible(tx, actor, consent.patientId, 'read') : null;
      const view = consent && patient ? await this.view(tx, patient, consent, await this.consents.now(tx)) : null;
      await this.ledger.append(tx, actor, {
        action: 'consent',
        outcome: 'SUCCESS',
        patientIds: patient ? [patient.id] : [],
        subjectOrganizationKeys: patient ? [patient.organizationKey] : [],
        consentIds: view ? view.versions.map((v) => v.consent.id) : [],
        details: { found: view !== null },
      });
      return view;
    });
  }

  /** Every consent version of a patient of the caller's organisation; empty for anyone else's. */
  forPatient(actor: Actor, patientId: string): Promise<ConsentView[]> {
    return this.transactions.run(async (tx) => {
      const patient = await this.patients.findAccessible(tx, actor, patientId, 'read');
      const allowed = patient && decide(actor.ability, 'read', 'Consent', { organizationKey: patient.organizationKey }).allowed;
      const consents = patient && allowed ? await this.consents.forPatient(tx, patient.id) : [];
      const now = await this.consents.now(tx);
      const sensitivity = patient ? await this.sensitivityOfPatient(tx, patient) : null;
      const views = consents.map((c) => this.viewWith(patient!, c, now, sensitivity!, consents));
      await this.ledger.append(tx, actor, {
        action: 'consents',
        outcome: 'SUCCESS',
        patientIds: patient ? [patient.id] : [],
        subjectOrganizationKeys: patient ? [patient.organizationKey] : [],
        consentIds: consents.map((c) => c.id),
        details: { count: consents.length },
      });
      return views;
    });
  }

  private async findOwned(tx: Tx, actor: Actor, id: string, action: 'read' | 'update' | 'revoke'): Promise<Consent | null> {
    if (!isUuid(id)) return null;
    const consent = await this.consents.findById(tx, id);
    if (!consent) return null;
    return decide(actor.ability, action, 'Consent', { organizationKey: consent.disclosingOrganization.key, id: consent.id }).allowed ? consent : null;
  }

  /** §2.31(a)(4): each recipient an existing organisation, named one by one, never the discloser itself. */
  private async recipientsOf(tx: Tx, keys: string[], patient: Patient) {
    const unique = [...new Set(keys)];
    const found = await this.organizations.findByKeys(tx, unique);
    if (found.length !== unique.length) throw new BadUserInputError(['recipientOrganizationKeys'], 'UNKNOWN_ORGANIZATION');
    if (found.some((o) => o.id === patient.organizationId)) throw new BadUserInputError(['recipientOrganizationKeys'], 'DISCLOSER_AS_RECIPIENT');
    return found.sort((a, b) => a.name.localeCompare(b.name) || a.key.localeCompare(b.key));
  }

  private async view(tx: Tx, patient: Patient, consent: Consent, now: Date): Promise<ConsentView> {
    const lineage = await this.consents.lineage(tx, consent.lineageId);
    const sensitivity = await this.sensitivityOfPatient(tx, patient);
    return this.viewWith(patient, consent, now, sensitivity, lineage);
  }

  /** The labels of what the consent covers: the patient's records at the disclosing program (C1). */
  private async sensitivityOfPatient(tx: Tx, patient: Patient): Promise<ConsentSensitivity> {
    const enrollments = await this.enrollments.ofAuthorizedPatient(tx, patient.id);
    const organization = enrollments.length === 0 ? await this.organizations.findById(tx, patient.organizationId) : null;
    return combinedSensitivity(enrollments, organization?.part2Program ?? false);
  }

  private viewWith(patient: Patient, consent: Consent, now: Date, sensitivity: ConsentSensitivity, family: Consent[]): ConsentView {
    const single = (c: Consent): Omit<ConsentView, 'versions'> => {
      const facts = factsOf(c);
      const status = consentStatusAt(facts, now);
      const revoked = revokedRecipientsAt(facts, now);
      return {
        consent: c,
        status,
        asOf: now,
        receipt: writeReceipt({
          consentId: c.id,
          givenName: patient.givenName,
          program: c.disclosingOrganization.name,
          categories: c.dataCategories,
          purpose: c.purpose,
          recipients: c.recipients.map((r) => r.name),
          expiresOn: dateOnly(c.expiresAt),
          expirationEvent: c.expirationEvent,
          signerName: c.signerName,
          relationship: c.signerRelationship,
          signedOn: dateOnly(c.signedAt),
          effectiveOn: dateOnly(c.effectiveFrom),
          revokedRecipients: c.recipients.filter((r) => revoked.has(r.id)).map((r) => r.name),
          revokedWhole: status === 'REVOKED',
        }),
        fhir: consentToFhir(c, status, now, sensitivity),
      };
    };
    const versions = family.filter((c) => c.lineageId === consent.lineageId).sort((a, b) => a.version - b.version);
    return { ...single(consent), versions: versions.map((v) => ({ ...single(v), versions: [] })) };
  }
}
