import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@libs/auth/principal.js';
import { type AppAbility, compileAbility } from './ability.js';
import { ACTIVE_POLICY_SOURCE, type ActivePolicy, type ActivePolicySource } from './policy-document.js';

/** How long an instance trusts its copy of the active policies before asking the database again. */
export const POLICY_REFRESH_MS = 2_000;

/** Builds each caller's ability from the active policy versions in the database. */
@Injectable()
export class AbilitiesService {
  private cached?: { policies: ActivePolicy[]; until: number };
  private loading?: Promise<ActivePolicy[]>;

  constructor(@Inject(ACTIVE_POLICY_SOURCE) private readonly source: ActivePolicySource) {}

  async abilityFor(principal: Principal): Promise<AppAbility> {
    return compileAbility(principal, await this.activePolicies());
  }

  /** Drops the cached copy, for example right after this instance activated a new version. */
  invalidate(): void {
    this.cached = undefined;
  }

  private async activePolicies(): Promise<ActivePolicy[]> {
    if (this.cached && this.cached.until > Date.now()) return this.cached.policies;
    this.loading ??= this.source.activePolicies().finally(() => (this.loading = undefined));
    const policies = await this.loading;
    this.cached = { policies, until: Date.now() + POLICY_REFRESH_MS };
    return policies;
  }
}
