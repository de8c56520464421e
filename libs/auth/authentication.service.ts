import { Inject, Injectable } from '@nestjs/common';
import type { JWTPayload } from 'jose';
import { AppConfig } from '@libs/config/app-config.js';
import { UnauthenticatedError } from '@libs/graphql/errors.js';
import { ClaimMapping } from './claim-mapping.js';
import { isRole, ORGANIZATION_DIRECTORY, type OrganizationDirectory, type Principal, type PrincipalOrganization, roleBelongsTo } from './principal.js';
import { TokenRejected, TokenVerifier } from './token-verifier.js';

const ORGANIZATION_CACHE_MS = 30_000;

/**
 * A refusal of a token whose signature and claims were verified, so the person is known: it is
 * audited (C16) under the identity the token asserts, with the reason, never the token.
 */
export class AuthenticationRefused extends UnauthenticatedError {
  constructor(
    internalReason: string,
    readonly identity: { sub: string; organizationKey: string; roles: string[]; name: string },
    readonly details: Record<string, unknown> = {},
    /** The `WWW-Authenticate` challenge, when the client can act on it (RFC 9470 step-up). */
    readonly challenge?: string,
  ) {
    super(internalReason);
  }
}

/**
 * Turns a bearer token into a Principal, or refuses it. Roles and organisation come only from
 * the verified token (C21); an unknown role or organisation refuses the whole token.
 */
@Injectable()
export class AuthenticationService {
  private readonly organizations = new Map<string, { value: PrincipalOrganization; until: number }>();

  private readonly claims: ClaimMapping;

  constructor(
    private readonly verifier: TokenVerifier,
    @Inject(ORGANIZATION_DIRECTORY) private readonly directory: OrganizationDirectory,
    config: AppConfig,
  ) {
    this.claims = ClaimMapping.fromConfig(config);
    // A deactivated organisation's tokens are refused at once on this instance, not after the cache's time.
    directory.onChange?.((key) => this.organizations.delete(key));
  }

  async authenticate(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(authorization ?? '');
    if (!match) throw new UnauthenticatedError('no bearer token');
    let claims: JWTPayload;
    try {
      claims = await this.verifier.verify(match[1]);
    } catch (error) {
      throw new UnauthenticatedError(error instanceof TokenRejected ? error.reason : 'unverifiable');
    }
    // The provider's claim names and values, mapped to ours (AUTH_*_CLAIM, AUTH_ROLE_MAP).
    const { sub, org, roles, name, amr } = this.claims.read(claims);
    if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200) throw new UnauthenticatedError('bad sub');
    if (typeof org !== 'string' || org.length === 0) throw new UnauthenticatedError('missing org');
    if (!Array.isArray(roles) || roles.length === 0 || !roles.every(isRole)) throw new UnauthenticatedError('unknown role');
    const organization = await this.organization(org);
    if (!organization) throw new UnauthenticatedError('unknown organization');
    if (organization.deactivated) throw new UnauthenticatedError('organization deactivated');
    const displayName = typeof name === 'string' && name.length > 0 ? name : sub;
    // A role binds to the kinds of organisation it belongs to: a "clinical_responder" of a
    // provider or an oversight body is refused outright, not quietly given less (C14, C21).
    const misplaced = roles.filter((role) => !roleBelongsTo(role, organization.kind));
    if (misplaced.length > 0) {
      throw new AuthenticationRefused(
        'role not for organization kind',
        { sub, organizationKey: organization.key, roles: [...new Set(roles)], name: displayName.slice(0, 200) },
        { reason: 'ROLE_NOT_FOR_ORGANIZATION_KIND', roles: misplaced, organizationKind: organization.kind },
      );
    }
    // Multi-factor (HIPAA 164.312(d)): a role that needs it is refused without it, and the
    // client is told it may sign in again at a higher level (RFC 9470).
    const needingMfa = this.claims.rolesNeedingMfa(roles);
    if (needingMfa.length > 0 && !this.claims.multiFactor(claims)) {
      throw new AuthenticationRefused(
        'multi-factor authentication required',
        { sub, organizationKey: organization.key, roles: [...new Set(roles)], name: displayName.slice(0, 200) },
        { reason: 'MFA_REQUIRED', roles: needingMfa, amr: amr.slice(0, 10), acr: typeof claims.acr === 'string' ? claims.acr.slice(0, 100) : null },
        this.claims.stepUpChallenge(),
      );
    }
    return {
      sub,
      name: displayName,
      named: typeof name === 'string' && name.length > 0,
      roles: [...new Set(roles)],
      org: organization,
      amr,
      multiFactor: this.claims.multiFactor(claims),
    };
  }

  /** Known organisations are cached briefly; unknown keys are asked again every time. */
  private async organization(key: string): Promise<PrincipalOrganization | null> {
    const cached = this.organizations.get(key);
    if (cached && cached.until > Date.now()) return cached.value;
    const found = await this.directory.findByKey(key);
    if (found) this.organizations.set(key, { value: found, until: Date.now() + ORGANIZATION_CACHE_MS });
    return found;
  }
}
