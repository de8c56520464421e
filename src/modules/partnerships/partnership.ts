import type { AgencyType, OrganizationKind } from '@libs/auth/principal.js';

/** What kind of signed document an agreement is (issue 15). */
export const PARTNERSHIP_KINDS = ['MOU', 'DATA_SHARING_AGREEMENT', 'QSOA'] as const;
export type PartnershipKind = (typeof PARTNERSHIP_KINDS)[number];

/**
 * An agreement's status at the moment of the read, from the database clock; never stored.
 * PROPOSED covers everything not yet in force and not over: waiting for the other side's
 * acceptance, or accepted with an `effectiveFrom` still to come (`acceptedAt` tells them apart).
 */
export const PARTNERSHIP_STATUSES = ['PROPOSED', 'IN_FORCE', 'ENDED', 'EXPIRED'] as const;
export type PartnershipStatus = (typeof PARTNERSHIP_STATUSES)[number];

/** Why a side ended an agreement: a code for the audit event, never free text. */
export const PARTNERSHIP_END_REASONS = ['TERMINATED', 'WITHDRAWN', 'DECLINED', 'SUPERSEDED'] as const;
export type PartnershipEndReason = (typeof PARTNERSHIP_END_REASONS)[number];

/** One side of an agreement, as the directory knows it (no patient data). */
export interface PartnershipSide {
  id: string;
  key: string;
  name: string;
  kind: OrganizationKind;
  part2Program: boolean;
  agencyType: AgencyType | null;
  createdAt: Date;
  createdBy: string;
  deactivatedAt: Date | null;
}

/** An agreement between a treatment provider and a responder agency, with its status now. */
export interface PartnershipAgreement {
  id: string;
  kind: PartnershipKind;
  status: PartnershipStatus;
  provider: PartnershipSide;
  agency: PartnershipSide;
  effectiveFrom: Date;
  expiresAt: Date | null;
  documentReference: string;
  documentSha256: string;
  signatories: string[];
  proposedByOrganizationId: string;
  proposedAt: Date;
  acceptedAt: Date | null;
  endedAt: Date | null;
}

/** The two sides of a proposal, from the caller's organisation and the counterpart: one provider, one agency. */
export function sidesOf<T extends { kind: OrganizationKind }>(caller: T, counterpart: T): { provider: T; agency: T } | null {
  if (caller.kind === 'TREATMENT_PROVIDER' && counterpart.kind === 'RESPONDER_AGENCY') return { provider: caller, agency: counterpart };
  if (caller.kind === 'RESPONDER_AGENCY' && counterpart.kind === 'TREATMENT_PROVIDER') return { provider: counterpart, agency: caller };
  return null;
}
