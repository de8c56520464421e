/** The roles of the README (the `roles` claim). A token naming any other role is refused. */
export const ROLES = ['responder', 'clinical_responder', 'provider_staff', 'compliance_officer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ORGANIZATION_KINDS = ['RESPONDER_AGENCY', 'TREATMENT_PROVIDER', 'OVERSIGHT'] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

/**
 * What kind of responder agency an organisation is (issue 15). Policies may give different
 * agency types different fields of the same consent (C10: a police department gets less than a
 * mobile crisis team). Only responder agencies have one; OTHER when an agency's type is not known.
 */
export const AGENCY_TYPES = ['LAW_ENFORCEMENT', 'MOBILE_CRISIS', 'EMS', 'FIRE', 'CO_RESPONDER', 'PEER_SUPPORT', 'OTHER'] as const;
export type AgencyType = (typeof AGENCY_TYPES)[number];

export function isAgencyType(value: unknown): value is AgencyType {
  return typeof value === 'string' && (AGENCY_TYPES as readonly string[]).includes(value);
}

/**
 * The organisation kinds each role belongs to. A role means something only in such an
 * organisation: a `clinical_responder` of a treatment provider or of an oversight body is not
 * medical personnel of a crisis team (§2.51, C14), and a token saying otherwise is refused.
 */
export const ROLE_ORGANIZATION_KINDS: Record<Role, readonly OrganizationKind[]> = {
  responder: ['RESPONDER_AGENCY'],
  clinical_responder: ['RESPONDER_AGENCY'],
  provider_staff: ['TREATMENT_PROVIDER'],
  compliance_officer: ['RESPONDER_AGENCY', 'TREATMENT_PROVIDER', 'OVERSIGHT'],
  admin: ['RESPONDER_AGENCY', 'TREATMENT_PROVIDER', 'OVERSIGHT'],
};

export function roleBelongsTo(role: Role, kind: OrganizationKind): boolean {
  return ROLE_ORGANIZATION_KINDS[role].includes(kind);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** An organisation as the auth layer needs it. */
export interface PrincipalOrganization {
  id: string;
  key: string;
  name: string;
  kind: OrganizationKind;
  /** A responder agency's type (policies may condition on it); null or absent for other kinds. */
  agencyType?: AgencyType | null;
  /** Set when an admin deactivated it: its tokens are refused (docs/console.md, "Organizations"). */
  deactivated?: boolean;
}

/**
 * One authenticated person, built only from a verified token (C21) and the organisation it names.
 * `sub` is unique per person: no shared accounts (C8).
 */
export interface Principal {
  sub: string;
  /** The token's name claim; the `sub` when it has none (see `named`). */
  name: string;
  /** Whether the token carried a name: §2.51 records need one (C15). */
  named: boolean;
  roles: Role[];
  org: PrincipalOrganization;
  /** Authentication methods (for example `mfa`), when the identity provider says. */
  amr: string[];
  /**
   * Whether the person signed in with multi-factor, as the token says it (`ClaimMapping.multiFactor`:
   * an `amr` of a multi-factor method, or an `acr`/`acrs` in AUTH_MFA_ACR_VALUES). Set for every
   * principal made from a token; absent for those the service makes itself (seeding, explain).
   */
  multiFactor?: boolean;
}

/** Looks organisations up by key; provided by the organisations feature. */
export interface OrganizationDirectory {
  findByKey(key: string): Promise<PrincipalOrganization | null>;
  /** Calls `listener` with an organisation's key when it changes (renamed, deactivated), so caches forget it. */
  onChange?(listener: (key: string) => void): void;
}
export const ORGANIZATION_DIRECTORY = Symbol('ORGANIZATION_DIRECTORY');
