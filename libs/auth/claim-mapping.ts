import type { JWTPayload } from 'jose';
import type { AppConfig } from '@libs/config/app-config.js';
import type { Role } from './principal.js';

/** `amr` values (RFC 8176) that mean the person used more than one factor, or a factor that is one on its own. */
export const MULTI_FACTOR_METHODS = ['mfa', 'otp', 'hwk', 'swk', 'sms', 'face', 'fpt', 'pop'] as const;

export interface ClaimMappingOptions {
  rolesClaim: string;
  orgClaim: string;
  nameClaim: string;
  /** The provider's value -> our role; empty: the values are our role names. */
  roleMap: Record<string, Role>;
  mfaRoles: readonly Role[];
  mfaAcrValues: readonly string[];
}

/**
 * A claim by name, or by a dotted path into nested objects (`realm_access.roles`). A claim whose
 * own name contains dots (`https://example.org/roles`) is found by its full name first.
 */
export function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  let value: unknown = claims;
  for (const part of path.split('.')) {
    if (!value || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * Reads what the API needs from any standard identity provider's access token: Entra ID puts app
 * roles in `roles`, Okta group names in `groups`, Keycloak realm roles in `realm_access.roles`;
 * the organisation and display name come from claims the operator names. See docs/operations.md.
 */
export class ClaimMapping {
  constructor(private readonly options: ClaimMappingOptions) {}

  static fromConfig(config: AppConfig): ClaimMapping {
    return new ClaimMapping({
      rolesClaim: config.env.AUTH_ROLES_CLAIM,
      orgClaim: config.env.AUTH_ORG_CLAIM,
      nameClaim: config.env.AUTH_NAME_CLAIM,
      roleMap: config.roleMap,
      mfaRoles: config.mfaRoles,
      mfaAcrValues: config.mfaAcrValues,
    });
  }

  read(claims: JWTPayload): { sub: unknown; org: unknown; roles: unknown; name: unknown; amr: string[] } {
    const all = claims as Record<string, unknown>;
    const amr = Array.isArray(all.amr) ? all.amr.filter((m): m is string => typeof m === 'string') : [];
    return {
      sub: claims.sub,
      org: claimAt(all, this.options.orgClaim),
      roles: this.roles(claimAt(all, this.options.rolesClaim)),
      name: claimAt(all, this.options.nameClaim),
      amr,
    };
  }

  /**
   * Without AUTH_ROLE_MAP the claim must be a list of our role names (any other name refuses the
   * token). With it, each value is looked up and values the map does not name are ignored: a
   * group claim also lists groups that have nothing to do with this service.
   */
  private roles(value: unknown): unknown {
    const map = this.options.roleMap;
    if (Object.keys(map).length === 0) return value;
    const values = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
    return [...new Set(values.flatMap((v) => (typeof v === 'string' && Object.hasOwn(map, v) ? [map[v]] : [])))];
  }

  rolesNeedingMfa(roles: readonly Role[]): Role[] {
    return roles.filter((role) => this.options.mfaRoles.includes(role));
  }

  /**
   * `amr` names a multi-factor method, or `acr` is one of AUTH_MFA_ACR_VALUES, or (Entra ID,
   * whose v2.0 access tokens carry no `amr`) one of the authentication contexts in `acrs` is.
   */
  multiFactor(claims: JWTPayload): boolean {
    const { amr, acr, acrs } = claims as { amr?: unknown; acr?: unknown; acrs?: unknown };
    if (Array.isArray(amr) && amr.some((m) => (MULTI_FACTOR_METHODS as readonly unknown[]).includes(m))) return true;
    if (typeof acr === 'string' && this.options.mfaAcrValues.includes(acr)) return true;
    return Array.isArray(acrs) && acrs.some((c) => typeof c === 'string' && this.options.mfaAcrValues.includes(c));
  }

  /** RFC 9470 step-up challenge; names the acceptable `acr` values when the operator set some. */
  stepUpChallenge(): string {
    const acr = this.options.mfaAcrValues.length > 0 ? `, acr_values="${this.options.mfaAcrValues.join(' ')}"` : '';
    return `Bearer error="insufficient_user_authentication", error_description="multi-factor authentication required"${acr}`;
  }
}
