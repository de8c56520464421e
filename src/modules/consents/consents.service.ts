import { Injectable } from '@nestjs/common';
import type { Actor } from '@libs/authorization/actor.js';
import { DataAccess, type ScopedTx } from '@libs/database/data-access.js';
import { BadUserInputError, PartnershipRequiredError, type ProblemSpec } from '@libs/graphql/errors.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import { EnrollmentsRepository } from '@app/modules/enrollments/enrollments.repository.js';
import { combinedSensitivity } from '@app/modules/enrollments/enrollment.js';
import type { OrganizationEntity } from '@app/modules/organizations/organization.entity.js';
import { OrganizationsRepository } from '@app/modules/organizations/organizations.repository.js';
import { PartnershipsRepository } from '@app/modules/partnerships/partnerships.repository.js';
import type { Patient } from '@app/modules/patients/patient.js';
import { PatientsRepository } from '@app/modules/patients/patients.repository.js';
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
import { ConsentsRepository, type NewConsentRow } from './consents.repository.js';

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

/** The times of a new consent that cannot be: expiring before it starts or already, signed in the future, an "event" that is no expiry (C4.7). */
function timeProblems(input: NewConsent, effectiveFrom: Date, now: Date): ProblemSpec[] {
  const problems: ProblemSpec[] = [];
  if (input.expiresAt.getTime() <= now.getTime()) problems.push({ field: 'expiresAt', rule: 'MUST_BE_IN_FUTURE' });
  else if (input.expiresAt.getTime() <= effectiveFrom.getTime()) problems.push({ field: 'expiresAt', rule: 'MUST_BE_AFTER', limit: 'effectiveFrom' });
  if (input.signedAt.getTime() > now.getTime() + SIGNATURE_CLOCK_SKEW_MS) problems.push({ field: 'signedAt', rule: 'MUST_NOT_BE_IN_FUTURE' });
  if (input.expirationEvent && NOT_AN_EXPIRY.test(input.expirationEvent)) problems.push({ field: 'expirationEvent', rule: 'NOT_ALLOWED_VALUE' });
  return problems;
}

/** A consent that can still be superseded or revoked at `now`, else the refusal naming `field`. */
function stillOpen(consent: Consent, now: Date, field: string): Consent {
  const status = consentStatusAt(factsOf(consent), now);
  if (status === 'SUPERSEDED') throw new BadUserInputError([field], 'ALREADY_SUPERSEDED');
  if (status === 'REVOKED') throw new BadUserInputError([field], 'ALREADY_REVOKED');
  return consent;
}

/**
 * 42 CFR Part 2 consents (C4-C7): recorded with every §2.31(a) element or refused naming the
 * missing one; changed only by superseding; revoked wholly or per recipient by rows of their own;
 * status computed at read time. Only the owning provider organisation sees or changes them: the
 * repositories never read another's.
 */
@Injectable()
export class ConsentsService {
  constructor(
    private readonly data: DataAccess,
    private readonly consents: ConsentsRepository,
    private readonly patients: PatientsRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly enrollments: EnrollmentsRepository,
    private readonly partnerships: PartnershipsRepository,
    private readonly ledger: AuditLedger,
  ) {}

  record(actor: Actor, input: NewConsent): Promise<ConsentView> {
    return this.data.forCaller(actor).transaction((db) => this.recordIn(db, input));
  }

  /** Records a consent as whoever `db` acts for; also the demo seed's, inside its transaction. */
  async recordIn(db: ScopedTx, input: NewConsent): Promise<ConsentView> {
    const patient = await this.patients.findById(db, input.patientId, 'Patient.update');
    if (!patient || !db.allows('Consent.create', { organizationKey: patient.organizationKey })) throw new BadUserInputError(['patientId'], 'NOT_FOUND');
    const now = await this.consents.now(db);
    const program = (await this.organizations.findById(db, patient.organizationId))!;
    const recipients = await this.recipientsOf(db, input.recipientOrganizationKeys, patient);
    const effectiveFrom = input.effectiveFrom ?? now;
    const problems = timeProblems(input, effectiveFrom, now);
    if (problems.length > 0) throw BadUserInputError.of(problems);
    await this.requirePartnerships(db, input.recipientOrganizationKeys, recipients, patient);
    const previous = input.supersedesConsentId ? await this.supersedable(db, input.supersedesConsentId, patient, now) : null;
    const expirationEvent = input.expirationEvent?.trim() || null;
    const row: NewConsentRow = {
      lineageId: previous?.lineageId ?? null,
      version: previous ? previous.version + 1 : 1,
      supersedesConsentId: previous?.id ?? null,
      patientId: patient.id,
      organizationId: patient.organizationId,
      recipientOrganizationIds: recipients.map((r) => r.id),
      purpose: input.purpose,
      dataCategories: [...new Set(input.dataCategories)],
      effectiveFrom,
      expiresAt: input.expiresAt,
      expirationEvent,
      signerName: input.signedBy.name.trim(),
      signerRelationship: input.signedBy.relationship,
      signedAt: input.signedAt,
      acknowledgements: input.acknowledgements,
      scopeDescription: describeScope({
        givenName: patient.givenName,
        program: program.name,
        categories: input.dataCategories,
        purpose: input.purpose,
        recipients: recipients.map((r) => r.name),
        expiresOn: dateOnly(input.expiresAt),
        expirationEvent,
      }),
    };
    const id = await this.consents.insert(db, row);
    await this.ledger.append(db, {
      action: previous ? 'supersedeConsent' : 'recordConsent',
      outcome: 'SUCCESS',
      patientIds: [patient.id],
      subjectOrganizationKeys: [patient.organizationKey],
      consentIds: previous ? [id, previous.id] : [id],
      purpose: input.purpose,
      details: { consentId: id, supersedesConsentId: previous?.id ?? null, recipients: recipients.map((r) => r.key), dataCategories: input.dataCategories },
    });
    return this.view(db, patient, (await this.consents.findById(db, id, 'Consent.read'))!, await this.consents.now(db));
  }

  revoke(actor: Actor, input: Revocation): Promise<ConsentView> {
    return this.data.forCaller(actor).transaction(async (db) => {
      const found = await this.consents.findById(db, input.consentId, 'Consent.revoke');
      if (!found) throw new BadUserInputError(['consentId'], 'NOT_FOUND');
      await this.consents.lockLineage(db, found.lineageId);
      const now = await this.consents.now(db);
      const consent = stillOpen((await this.consents.findById(db, found.id, 'Consent.revoke'))!, now, 'consentId');
      if (input.receivedAt.getTime() > now.getTime() + SIGNATURE_CLOCK_SKEW_MS) throw BadUserInputError.of([{ field: 'receivedAt', rule: 'MUST_NOT_BE_IN_FUTURE' }]);
      if (input.receivedAt.getTime() < consent.signedAt.getTime()) throw BadUserInputError.of([{ field: 'receivedAt', rule: 'MUST_BE_AFTER', limit: 'signedAt' }]);
      const recipientIds = input.recipientOrganizationKeys ? this.revocableRecipients(consent, input.recipientOrganizationKeys, now) : [];
      const whole = !input.recipientOrganizationKeys;
      const revocationId = await this.consents.insertRevocation(db, { consentId: consent.id, whole, recipientOrganizationIds: recipientIds, method: input.method, receivedAt: input.receivedAt });
      await this.ledger.append(db, {
        action: 'revokeConsent',
        outcome: 'SUCCESS',
        patientIds: [consent.patientId],
        subjectOrganizationKeys: [consent.disclosingOrganization.key],
        consentIds: [consent.id],
        details: { revocationId, whole, recipients: input.recipientOrganizationKeys ?? consent.recipients.map((r) => r.key), method: input.method },
      });
      const patient = (await this.patients.findById(db, consent.patientId, 'Patient.read'))!;
      return this.view(db, patient, (await this.consents.findById(db, consent.id, 'Consent.read'))!, await this.consents.now(db));
    });
  }

  /** One consent with its versions, or null for another organisation's consent exactly as for an unknown id. */
  get(actor: Actor, id: string): Promise<ConsentView | null> {
    return this.data.forCaller(actor).transaction(async (db) => {
      const consent = await this.consents.findById(db, id, 'Consent.read');
      const patient = consent ? await this.patients.findById(db, consent.patientId, 'Patient.read') : null;
      const view = consent && patient ? await this.view(db, patient, consent, await this.consents.now(db)) : null;
      await this.ledger.append(db, {
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
    return this.data.forCaller(actor).transaction(async (db) => {
      const patient = await this.patients.findById(db, patientId, 'Patient.read');
      const consents = patient ? await this.consents.forPatient(db, patient.id) : [];
      const now = await this.consents.now(db);
      const sensitivity = patient ? await this.sensitivityOfPatient(db, patient) : null;
      const views = consents.map((c) => this.viewWith(patient!, c, now, sensitivity!, consents));
      await this.ledger.append(db, {
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

  /** The version a new one supersedes: the same patient's, locked, and still open. */
  private async supersedable(db: ScopedTx, id: string, patient: Patient, now: Date): Promise<Consent> {
    const previous = await this.consents.findById(db, id, 'Consent.update');
    if (!previous || previous.patientId !== patient.id) throw new BadUserInputError(['supersedesConsentId'], 'NOT_FOUND');
    await this.consents.lockLineage(db, previous.lineageId);
    return stillOpen((await this.consents.findById(db, previous.id, 'Consent.update'))!, now, 'supersedesConsentId');
  }

  /** The ids of the recipients a revocation names: each a recipient of the consent, none revoked already. */
  private revocableRecipients(consent: Consent, keys: string[], now: Date): string[] {
    const byKey = new Map(consent.recipients.map((r) => [r.key, r]));
    const chosen = keys.map((key) => byKey.get(key));
    if (chosen.some((r) => !r)) throw new BadUserInputError(['recipientOrganizationKeys'], 'NOT_A_RECIPIENT');
    const alreadyRevoked = revokedRecipientsAt(factsOf(consent), now);
    const ids = chosen.map((r) => r!.id);
    if (ids.some((id) => alreadyRevoked.has(id))) throw new BadUserInputError(['recipientOrganizationKeys'], 'ALREADY_REVOKED');
    return ids;
  }

  /**
   * Issue 15: a consent may name a responder agency only while an agreement between the provider
   * and that agency is in force (database clock). Refused naming every such recipient; nothing is
   * stored (the transaction rolls back). Recipients that are not responder agencies are not gated.
   */
  private async requirePartnerships(db: ScopedTx, keys: string[], recipients: OrganizationEntity[], patient: Patient): Promise<void> {
    const agencies = recipients.filter((r) => r.kind === 'RESPONDER_AGENCY').map((r) => r.id);
    const missing = new Set(await this.partnerships.agenciesNotInForce(db, patient.organizationId, agencies));
    if (missing.size === 0) return;
    const byKey = new Map(recipients.map((r) => [r.key, r]));
    const offending = keys.map((key, index) => ({ key, index })).filter(({ key }) => missing.has(byKey.get(key)!.id));
    throw new PartnershipRequiredError(offending);
  }

  /** §2.31(a)(4): each recipient an existing organisation, named one by one, never the discloser itself. */
  private async recipientsOf(db: ScopedTx, keys: string[], patient: Patient): Promise<OrganizationEntity[]> {
    const unique = [...new Set(keys)];
    const found = await this.organizations.findByKeys(db, unique);
    if (found.length !== unique.length) throw new BadUserInputError(['recipientOrganizationKeys'], 'UNKNOWN_ORGANIZATION');
    // A deactivated organisation is named by no new consent (docs/console.md, "Organizations").
    if (found.some((o) => o.deactivatedAt)) throw new BadUserInputError(['recipientOrganizationKeys'], 'ORGANIZATION_DEACTIVATED');
    if (found.some((o) => o.id === patient.organizationId)) throw new BadUserInputError(['recipientOrganizationKeys'], 'DISCLOSER_AS_RECIPIENT');
    return found.sort((a, b) => a.name.localeCompare(b.name) || a.key.localeCompare(b.key));
  }

  private async view(db: ScopedTx, patient: Patient, consent: Consent, now: Date): Promise<ConsentView> {
    const lineage = await this.consents.lineage(db, consent.lineageId);
    const sensitivity = await this.sensitivityOfPatient(db, patient);
    return this.viewWith(patient, consent, now, sensitivity, lineage);
  }

  /** The labels of what the consent covers: the patient's records at the disclosing program (C1). */
  private async sensitivityOfPatient(db: ScopedTx, patient: Patient): Promise<ConsentSensitivity> {
    const enrollments = await this.enrollments.ofPatients(db, [patient.id]);
    const organization = enrollments.length === 0 ? await this.organizations.findById(db, patient.organizationId) : null;
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
