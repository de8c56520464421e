import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Actor } from '@libs/authorization/actor.js';
import { DataAccess, type ScopedTx } from '@libs/database/data-access.js';
import { BadUserInputError, ForbiddenError, type ProblemSpec } from '@libs/graphql/errors.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import { OrganizationsRepository } from '@app/modules/organizations/organizations.repository.js';
import type { PartnershipAgreement, PartnershipEndReason, PartnershipKind } from './partnership.js';
import { sidesOf } from './partnership.js';
import { PartnershipsRepository } from './partnerships.repository.js';

export interface PartnershipProposal {
  counterpartOrganizationKey: string;
  kind: PartnershipKind;
  effectiveFrom: Date;
  expiresAt?: Date | null;
  documentReference: string;
  documentSha256: string;
  signatories: string[];
}

/** What an agreement's audit events hold: ids, codes and the document's digest; never signatories' names or the reference text. */
function auditDetails(agreement: PartnershipAgreement) {
  return {
    partnershipId: agreement.id,
    kind: agreement.kind,
    providerOrganizationKey: agreement.provider.key,
    agencyOrganizationKey: agreement.agency.key,
    effectiveFrom: agreement.effectiveFrom,
    expiresAt: agreement.expiresAt,
    documentSha256: agreement.documentSha256,
  };
}

/**
 * Partnership agreements between a treatment provider and a responder agency (issue 15): one
 * side's admin proposes, the other side's accepts, either side's ends. Whether one is in force is
 * never stored: it is decided at each read from the database clock (partnership_in_force). Every
 * step is audited (C16), refusals included (the refusal filter).
 */
@Injectable()
export class PartnershipsService {
  constructor(
    private readonly data: DataAccess,
    private readonly partnerships: PartnershipsRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly ledger: AuditLedger,
  ) {}

  propose(actor: Actor, input: PartnershipProposal): Promise<PartnershipAgreement> {
    return this.data.forCaller(actor).transaction(async (db) => {
      const caller = actor.principal.org;
      const counterpart = await this.organizations.findByKey(db, input.counterpartOrganizationKey);
      if (!counterpart) throw BadUserInputError.of([{ field: 'counterpartOrganizationKey', rule: 'UNKNOWN_ORGANIZATION' }], 'UNKNOWN_ORGANIZATION');
      // One side a treatment provider, the other a responder agency: the caller's organisation is one of them.
      const sides = sidesOf(caller, counterpart);
      if (!sides) throw BadUserInputError.of([{ field: 'counterpartOrganizationKey', rule: 'NOT_ALLOWED_VALUE' }], 'NOT_A_COUNTERPART');
      // A deactivated organisation is no one's partner (its agreements end with it): nothing to propose.
      if (counterpart.deactivatedAt) throw BadUserInputError.of([{ field: 'counterpartOrganizationKey', rule: 'NOT_ALLOWED_VALUE' }], 'ORGANIZATION_DEACTIVATED');
      if (!db.allows('PartnershipAgreement.propose', { providerOrganizationKey: sides.provider.key, agencyOrganizationKey: sides.agency.key })) throw new ForbiddenError();
      const now = await this.partnerships.now(db);
      const expiresAt = input.expiresAt ?? null;
      const problems: ProblemSpec[] = [];
      if (expiresAt && expiresAt.getTime() <= input.effectiveFrom.getTime()) problems.push({ field: 'expiresAt', rule: 'MUST_BE_AFTER', limit: 'effectiveFrom' });
      else if (expiresAt && expiresAt.getTime() <= now.getTime()) problems.push({ field: 'expiresAt', rule: 'MUST_BE_IN_FUTURE' });
      if (problems.length > 0) throw BadUserInputError.of(problems);
      const id = await this.partnerships.insert(db, {
        providerOrganizationId: sides.provider.id,
        agencyOrganizationId: sides.agency.id,
        proposedByOrganizationId: caller.id,
        kind: input.kind,
        effectiveFrom: input.effectiveFrom,
        expiresAt,
        documentReference: input.documentReference.trim(),
        documentSha256: input.documentSha256.toLowerCase(),
        signatories: input.signatories.map((s) => s.trim()),
      });
      const proposed = (await this.partnerships.findById(db, id, 'PartnershipAgreement.read'))!;
      await this.audit(db, 'proposePartnership', proposed);
      return proposed;
    });
  }

  /** Only the side that did not propose accepts: an agreement needs both signatures' organisations to say yes. */
  accept(actor: Actor, id: string): Promise<PartnershipAgreement> {
    return this.data.forCaller(actor).transaction(async (db) => {
      const agreement = await this.partnerships.findById(db, id, 'PartnershipAgreement.accept', true);
      if (!agreement) throw new BadUserInputError(['id'], 'NOT_FOUND');
      if (agreement.proposedByOrganizationId === actor.principal.org.id) throw new BadUserInputError(['id'], 'OTHER_SIDE_ACCEPTS');
      if (agreement.status === 'ENDED') throw new BadUserInputError(['id'], 'ALREADY_ENDED');
      if (agreement.status === 'EXPIRED') throw new BadUserInputError(['id'], 'ALREADY_EXPIRED');
      if (agreement.acceptedAt || !(await this.partnerships.accept(db, agreement.id))) throw new BadUserInputError(['id'], 'ALREADY_ACCEPTED');
      const accepted = (await this.partnerships.findById(db, agreement.id, 'PartnershipAgreement.read'))!;
      await this.audit(db, 'acceptPartnership', accepted);
      return accepted;
    });
  }

  /** Either side ends it, at once: from the next statement on, no consent may name the agency and no lookup discloses under it. */
  end(actor: Actor, input: { id: string; reason?: PartnershipEndReason | null }): Promise<PartnershipAgreement> {
    return this.data.forCaller(actor).transaction(async (db) => {
      const agreement = await this.partnerships.findById(db, input.id, 'PartnershipAgreement.end', true);
      if (!agreement) throw new BadUserInputError(['id'], 'NOT_FOUND');
      if (agreement.status === 'EXPIRED') throw new BadUserInputError(['id'], 'ALREADY_EXPIRED');
      if (agreement.status === 'ENDED' || !(await this.partnerships.end(db, agreement.id))) throw new BadUserInputError(['id'], 'ALREADY_ENDED');
      const ended = (await this.partnerships.findById(db, agreement.id, 'PartnershipAgreement.read'))!;
      await this.audit(db, 'endPartnership', ended, { reason: input.reason ?? null, statusBefore: agreement.status });
      return ended;
    });
  }

  /**
   * The demo seed's agreements, in force from a day ago with no end, as whoever `db` acts for
   * (the system act `seedDemoData`): proposed by the provider and accepted by the agency, each
   * step audited as through GraphQL.
   */
  async seedInForce(db: ScopedTx, provider: { id: string }, agency: { id: string }, document: { kind: PartnershipKind; documentReference: string }): Promise<PartnershipAgreement> {
    const now = await this.partnerships.now(db);
    const id = await this.partnerships.insert(db, {
      providerOrganizationId: provider.id,
      agencyOrganizationId: agency.id,
      proposedByOrganizationId: provider.id,
      kind: document.kind,
      effectiveFrom: new Date(now.getTime() - 86_400_000),
      expiresAt: null,
      documentReference: document.documentReference,
      documentSha256: createHash('sha256').update(document.documentReference).digest('hex'),
      signatories: ['Demo signatory (provider)', 'Demo signatory (agency)'],
    });
    await this.audit(db, 'proposePartnership', (await this.partnerships.findById(db, id, 'PartnershipAgreement.read'))!);
    await this.partnerships.accept(db, id);
    const accepted = (await this.partnerships.findById(db, id, 'PartnershipAgreement.read'))!;
    await this.audit(db, 'acceptPartnership', accepted);
    return accepted;
  }

  list(actor: Actor): Promise<PartnershipAgreement[]> {
    return this.data.forCaller(actor).transaction(async (db) => {
      const agreements = await this.partnerships.list(db);
      await this.ledger.append(db, { action: 'partnerships', outcome: 'SUCCESS', details: { count: agreements.length } });
      return agreements;
    });
  }

  private async audit(db: ScopedTx, action: string, agreement: PartnershipAgreement, extra: Record<string, unknown> = {}): Promise<void> {
    await this.ledger.append(db, {
      action,
      outcome: 'SUCCESS',
      subjectOrganizationKeys: [agreement.provider.key, agreement.agency.key],
      details: { ...auditDetails(agreement), status: agreement.status, ...extra },
    });
  }
}
