import { permittedFieldsOf } from '@casl/ability/extra';
import { subject as asSubject } from '@casl/ability';
import { Injectable } from '@nestjs/common';
import type { Actor } from '@libs/authorization/actor.js';
import { DataAccess, type ScopedTx } from '@libs/database/data-access.js';
import type { KeysetPage } from '@libs/database/sql.js';
import { BadUserInputError, ForbiddenError, PartnershipRequiredError, ReferralStatusConflictError } from '@libs/graphql/errors.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import { AuditRepository } from '@libs/ledger/audit.repository.js';
import { normalizeName } from '@app/modules/patients/identity-normalizer.js';
import { PatientsRepository } from '@app/modules/patients/patients.repository.js';
import { OrganizationsRepository } from '@app/modules/organizations/organizations.repository.js';
import { DISCLOSURE_ACTIONS } from '@app/modules/responder/lookup-decision.js';
import { monthlyCounts, monthsBetween, type ReportMonth, reportPeriod } from './agency-report.js';
import {
  type NewReferral,
  type OutcomeGrant,
  outcomeGrant,
  REFERRAL_OUTCOME_DISCLOSURE,
  type Referral,
  REFERRAL_DETAIL_FIELDS,
  type ReferralDeclineReason,
  type ReferralDetailField,
  type ReferralOutcome,
  type ReferralStatus,
  statusForAgency,
  TRANSITIONS,
  type ReferralTransition,
} from './referral.js';
import { ReferralsRepository } from './referrals.repository.js';

/** At most two years of months in one report. */
export const REPORT_MAX_MONTHS = 24;

/** A referral as one reader may see it: every field present, null where they may not see it (same shape either way). */
export interface ReferralView {
  id: string;
  status: ReferralStatus;
  reason: Referral['reason'];
  urgency: Referral['urgency'];
  incidentNumber: string;
  createdAt: Date;
  agency: { key: string; name: string };
  provider: { key: string; name: string };
  givenName: string | null;
  familyName: string | null;
  dateOfBirth: string | null;
  callbackPhone: string | null;
  note: string | null;
  patientId: string | null;
  declineReason: ReferralDeclineReason | null;
  outcome: ReferralOutcome | null;
  outcomeOccurredOn: string | null;
  outcomeRecordedAt: Date | null;
}

export interface AgencyReport {
  organizationKey: string;
  from: string;
  to: string;
  months: ReportMonth[];
}

/**
 * Referrals (deflection) from responder agencies to partner providers, and what comes back
 * (docs/partnerships.md). Every step is audited in its transaction (C16, C17); an outcome shown to
 * the referring agency is a disclosure under the patient's consent, appended with the read.
 */
@Injectable()
export class ReferralsService {
  constructor(
    private readonly data: DataAccess,
    private readonly referrals: ReferralsRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly patients: PatientsRepository,
    private readonly audit: AuditRepository,
    private readonly ledger: AuditLedger,
  ) {}

  /** A responder refers a person who agreed to it; only to a provider with an agreement in force now (PARTNERSHIP_REQUIRED). */
  create(actor: Actor, input: NewReferral): Promise<ReferralView> {
    const agency = actor.principal.org;
    return this.data.forCaller(actor).transaction(async (db) => {
      if (agency.kind !== 'RESPONDER_AGENCY' || !db.allows('Referral.create', { agencyOrganizationKey: agency.key })) throw new ForbiddenError();
      const person = referable(input);
      const provider = await this.organizations.findByKey(db, input.providerOrganizationKey);
      if (!provider || provider.kind !== 'TREATMENT_PROVIDER') throw new BadUserInputError(['providerOrganizationKey'], 'UNKNOWN_ORGANIZATION');
      if (!(await this.referrals.partnershipInForce(db, provider.id, agency.id))) throw new PartnershipRequiredError('providerOrganizationKey');
      const id = await this.referrals.insert(db, agency.id, provider.id, person);
      const referral = (await this.referrals.findById(db, id, 'Referral.read'))!;
      await this.ledger.append(db, {
        action: 'createReferral',
        outcome: 'SUCCESS',
        subjectOrganizationKeys: [provider.key],
        incidentNumber: person.incidentNumber,
        details: { referralId: id, providerOrganizationKey: provider.key, reason: person.reason, urgency: person.urgency },
      });
      return this.view(actor, referral, null);
    });
  }

  /**
   * The demo seed's referrals, as whoever `db` acts for (the system act `seedDemoData`): made,
   * and when `patientId` is given accepted for that patient and closed with `outcome`, each step
   * audited as through GraphQL, so a newcomer sees the feedback loop on first start.
   */
  async seedIn(
    db: ScopedTx,
    agency: { id: string; key: string },
    provider: { id: string; key: string },
    input: NewReferral,
    then?: { patientId: string; outcome: ReferralOutcome; occurredOn: string },
  ): Promise<string> {
    const person = referable(input);
    const id = await this.referrals.insert(db, agency.id, provider.id, person);
    const event = (action: string, details: Record<string, unknown>, patientIds: string[] = []) =>
      this.ledger.append(db, { action, outcome: 'SUCCESS', patientIds, subjectOrganizationKeys: [provider.key], incidentNumber: person.incidentNumber, details: { referralId: id, ...details } });
    await event('createReferral', { providerOrganizationKey: provider.key, reason: person.reason, urgency: person.urgency });
    if (then) {
      await this.referrals.accept(db, id, then.patientId);
      await event('acceptReferral', { agencyOrganizationKey: agency.key, from: 'RECEIVED', to: 'ACCEPTED' }, [then.patientId]);
      await this.referrals.recordOutcome(db, id, then.outcome, then.occurredOn);
      await event('recordReferralOutcome', { agencyOrganizationKey: agency.key, from: 'ACCEPTED', to: 'CLOSED', outcome: then.outcome }, [then.patientId]);
    }
    return id;
  }

  /** The providers the caller's agency may refer to now (an agreement in force); audited like every read. */
  partners(actor: Actor): Promise<Array<{ key: string; name: string }>> {
    const agency = actor.principal.org;
    return this.data.forCaller(actor).transaction(async (db) => {
      if (agency.kind !== 'RESPONDER_AGENCY' || !db.allows('Referral.create', { agencyOrganizationKey: agency.key })) throw new ForbiddenError();
      const partners = await this.referrals.partnerProviders(db, agency.id);
      await this.ledger.append(db, { action: 'referralPartners', outcome: 'SUCCESS', details: { count: partners.length } });
      return partners;
    });
  }

  /**
   * The caller's referrals, newest first: a provider's queue, or the referrals an agency made.
   * For an agency, `status` means open (RECEIVED, ACCEPTED) or closed (DECLINED, CLOSED), so the
   * filter cannot tell what it may not see; each outcome it is shown is appended as a disclosure.
   */
  list(actor: Actor, status: ReferralStatus | null, limit: number, after: readonly [string, string] | null): Promise<KeysetPage<ReferralView & { sortKey: [string, string] }>> {
    return this.data.forCaller(actor).transaction(async (db) => {
      const ownSide = actor.principal.org.kind === 'TREATMENT_PROVIDER';
      const statuses = status === null ? null : ownSide ? [status] : status === 'RECEIVED' || status === 'ACCEPTED' ? ['RECEIVED', 'ACCEPTED'] as ReferralStatus[] : ['DECLINED', 'CLOSED'] as ReferralStatus[];
      const page = await this.referrals.page(db, limit, after, statuses);
      const grants = await this.grantsFor(db, actor, page.items);
      await this.ledger.append(db, {
        action: 'referrals',
        outcome: 'SUCCESS',
        patientIds: ownSide ? [...new Set(page.items.flatMap((r) => (r.patientId ? [r.patientId] : [])))] : [],
        subjectOrganizationKeys: [...new Set(page.items.map((r) => (ownSide ? r.providerOrganizationKey : r.agencyOrganizationKey)))],
        details: { count: page.items.length, referralIds: page.items.map((r) => r.id), status, outcomesShown: grants.size },
      });
      return { items: page.items.map((r) => ({ ...this.view(actor, r, grants.get(r.id) ?? null), sortKey: r.sortKey })), hasNextPage: page.hasNextPage };
    });
  }

  accept(actor: Actor, input: { referralId: string; patientId: string }): Promise<ReferralView> {
    return this.step(actor, 'acceptReferral', input.referralId, async (db, referral) => {
      const patient = await this.patients.findById(db, input.patientId, 'Patient.read');
      if (!patient || patient.organizationId !== referral.providerOrganizationId) throw new BadUserInputError(['patientId'], 'NOT_FOUND');
      return { changed: await this.referrals.accept(db, referral.id, patient.id), patientIds: [patient.id], details: {} };
    });
  }

  decline(actor: Actor, input: { referralId: string; reason: ReferralDeclineReason }): Promise<ReferralView> {
    return this.step(actor, 'declineReferral', input.referralId, async (db, referral) => ({
      changed: await this.referrals.decline(db, referral.id, input.reason),
      patientIds: [],
      details: { declineReason: input.reason },
    }));
  }

  recordOutcome(actor: Actor, input: { referralId: string; outcome: ReferralOutcome; occurredOn: string }): Promise<ReferralView> {
    return this.step(actor, 'recordReferralOutcome', input.referralId, async (db, referral) => {
      const madeOn = referral.createdAt.toISOString().slice(0, 10);
      if (input.occurredOn < madeOn) throw BadUserInputError.of([{ field: 'occurredOn', rule: 'MUST_BE_AFTER', limit: madeOn }]);
      return {
        changed: await this.referrals.recordOutcome(db, referral.id, input.outcome, input.occurredOn),
        patientIds: referral.patientId ? [referral.patientId] : [],
        details: { outcome: input.outcome },
      };
    });
  }

  /** The agency's monthly counts, from `from`'s month to `to`'s (UTC): aggregate only, small cells suppressed. */
  report(actor: Actor, from: string, to: string): Promise<AgencyReport> {
    if (to < from) throw BadUserInputError.of([{ field: 'to', rule: 'MUST_BE_AFTER', limit: 'from' }]);
    const months = monthsBetween(from, to);
    if (months.length > REPORT_MAX_MONTHS) throw BadUserInputError.of([{ field: 'to', rule: 'TOO_MANY', limit: REPORT_MAX_MONTHS }]);
    const agency = actor.principal.org;
    const period = reportPeriod(from, to);
    return this.data.forCaller(actor).transaction(async (db) => {
      if (agency.kind !== 'RESPONDER_AGENCY' || !db.allows('AgencyReport.read', { organizationKey: agency.key })) throw new ForbiddenError();
      const referrals = await this.referrals.forReport(db, period.start, period.end);
      const facts = await this.referrals.outcomeFacts(db, referrals.filter((r) => r.patientId && r.status === 'CLOSED').map((r) => r.id));
      const counted = referrals.map((r) => {
        const f = facts.get(r.id);
        return {
          month: r.month,
          settled: r.settled,
          acceptedBySettlement: r.acceptedBySettlement,
          engagedBySettlement: r.engagedBySettlement,
          outcomeShared: !!f && outcomeGrant(f.consents, r.agencyOrganizationId, f.partnershipInForce, f.now) !== null,
        };
      });
      const lookups = await this.audit.lookupsByMonth(db, DISCLOSURE_ACTIONS, period.start, period.end);
      await this.ledger.append(db, { action: 'agencyReport', outcome: 'SUCCESS', details: { from: period.firstDay, to: period.lastDay, months: months.length } });
      return { organizationKey: agency.key, from: period.firstDay, to: period.lastDay, months: monthlyCounts(months, counted, lookups) };
    });
  }

  /**
   * One step of the provider on a referral, in one transaction: the referral read and locked
   * through the caller's scope (another provider's is NOT_FOUND, as an unknown id), refused in
   * the wrong status with nothing changed (REFERRAL_STATUS_CONFLICT), changed, audited.
   */
  private step(
    actor: Actor,
    action: ReferralTransition,
    referralId: string,
    change: (db: ScopedTx, referral: Referral) => Promise<{ changed: boolean; patientIds: string[]; details: Record<string, unknown> }>,
  ): Promise<ReferralView> {
    const permission = ({ acceptReferral: 'Referral.accept', declineReferral: 'Referral.decline', recordReferralOutcome: 'Referral.record-outcome' } as const)[action];
    return this.data.forCaller(actor).transaction(async (db) => {
      const referral = await this.referrals.findById(db, referralId, permission, true);
      if (!referral) throw new BadUserInputError(['referralId'], 'NOT_FOUND');
      if (referral.status !== TRANSITIONS[action].from) throw new ReferralStatusConflictError(referral.status);
      const { changed, patientIds, details } = await change(db, referral);
      // The row is locked and its status checked: an update that finds nothing is a bug, never a silent success.
      if (!changed) throw new ReferralStatusConflictError(referral.status);
      await this.ledger.append(db, {
        action,
        outcome: 'SUCCESS',
        patientIds,
        subjectOrganizationKeys: [referral.providerOrganizationKey],
        incidentNumber: referral.incidentNumber,
        details: { referralId: referral.id, agencyOrganizationKey: referral.agencyOrganizationKey, from: referral.status, to: TRANSITIONS[action].to, ...details },
      });
      return this.view(actor, (await this.referrals.findById(db, referral.id, 'Referral.read'))!, null);
    });
  }

  /**
   * For the referring agency's reading: which referrals' outcomes it may see now, each appended
   * as a disclosure in this transaction before anything is returned (C17): REFERRAL_OUTCOME
   * disclosed, the consent as basis, the patient named so it is in their accounting (C19).
   */
  private async grantsFor(db: ScopedTx, actor: Actor, referrals: Referral[]): Promise<Map<string, OutcomeGrant>> {
    const grants = new Map<string, OutcomeGrant>();
    // Every referral of the agency on the page, linked to a patient or not: the facts are read
    // whichever, so the round trips do not say which were accepted (C9); unlinked ones get none.
    const theirs = referrals.filter((r) => r.agencyOrganizationId === actor.principal.org.id);
    if (theirs.length === 0 || !this.fieldsOf(actor, theirs[0]).has('outcome')) return grants;
    const facts = await this.referrals.outcomeFacts(db, theirs.map((r) => r.id));
    for (const referral of theirs) {
      const f = facts.get(referral.id);
      const grant = f ? outcomeGrant(f.consents, referral.agencyOrganizationId, f.partnershipInForce, f.now) : null;
      if (!grant) continue;
      grants.set(referral.id, grant);
      await this.ledger.append(db, {
        action: REFERRAL_OUTCOME_DISCLOSURE,
        outcome: 'DISCLOSED',
        patientIds: [referral.patientId!],
        subjectOrganizationKeys: [referral.providerOrganizationKey],
        incidentNumber: referral.incidentNumber,
        purpose: grant.purpose,
        basis: 'CONSENT',
        consentIds: [grant.consentId],
        disclosedCategories: ['REFERRAL_OUTCOME'],
        details: {
          referralId: referral.id,
          // The agreement in force at the read, as a lookup's disclosure names it (C19, issue 15 item 2).
          disclosures: [
            { patientId: referral.patientId, organizationKey: referral.providerOrganizationKey, consentId: grant.consentId, partnershipAgreementId: f!.partnershipAgreementId, categories: ['REFERRAL_OUTCOME'] },
          ],
        },
      });
    }
    return grants;
  }

  /** The detail fields the caller's policy lets them read on this referral (CASL field rules on Referral). */
  private fieldsOf(actor: Actor, referral: Referral): Set<ReferralDetailField> {
    const object = asSubject('Referral', { agencyOrganizationKey: referral.agencyOrganizationKey, providerOrganizationKey: referral.providerOrganizationKey, id: referral.id });
    return new Set(permittedFieldsOf(actor.ability, 'read', object, { fieldsFrom: (rule) => rule.fields ?? [...REFERRAL_DETAIL_FIELDS] }) as ReferralDetailField[]);
  }

  /**
   * What one reader sees. The receiving provider's staff: the referral as it is, within their
   * field rules. Anyone else (the referring agency): no person's details; the status as RECEIVED
   * or CLOSED and no outcome, unless `grant` (the patient's REFERRAL_OUTCOME consent, checked now).
   */
  private view(actor: Actor, referral: Referral, grant: OutcomeGrant | null): ReferralView {
    const fields = this.fieldsOf(actor, referral);
    const provider = actor.principal.org.id === referral.providerOrganizationId;
    const can = (field: ReferralDetailField) => provider && fields.has(field);
    const outcomeVisible = fields.has('outcome') && (provider || grant !== null);
    return {
      id: referral.id,
      status: provider ? referral.status : statusForAgency(referral.status, outcomeVisible),
      reason: referral.reason,
      urgency: referral.urgency,
      incidentNumber: referral.incidentNumber,
      createdAt: referral.createdAt,
      agency: { key: referral.agencyOrganizationKey, name: referral.agencyOrganizationName },
      provider: { key: referral.providerOrganizationKey, name: referral.providerOrganizationName },
      givenName: can('person') ? referral.givenName : null,
      familyName: can('person') ? referral.familyName : null,
      dateOfBirth: can('person') ? referral.dateOfBirth : null,
      callbackPhone: can('callbackPhone') ? referral.callbackPhone : null,
      note: can('note') ? referral.note : null,
      patientId: can('patientId') ? referral.patientId : null,
      declineReason: provider ? referral.declineReason : null,
      outcome: outcomeVisible ? referral.outcome : null,
      outcomeOccurredOn: outcomeVisible ? referral.outcomeOccurredOn : null,
      outcomeRecordedAt: outcomeVisible ? referral.outcomeRecordedAt : null,
    };
  }
}

/** The referral as stored: trimmed; refused when a name is only punctuation (as a patient's). */
function referable(input: NewReferral): NewReferral {
  const trimmed = (value: string | null | undefined) => (value === null || value === undefined ? null : value.trim());
  const person = { ...input, givenName: input.givenName.trim(), familyName: input.familyName.trim(), callbackPhone: trimmed(input.callbackPhone), note: trimmed(input.note), dateOfBirth: input.dateOfBirth ?? null };
  const blank = (['givenName', 'familyName'] as const).filter((field) => normalizeName(person[field]) === '');
  if (blank.length > 0) throw new BadUserInputError([...blank]);
  return person;
}
