import type { OrganizationKind, Role } from '@libs/auth/principal.js';

/** One CASL rule as stored in `access_policy.rules` and in `policies/*.json`. */
export interface PolicyRule {
  action: string | string[];
  subject: string | string[];
  fields?: string[];
  conditions?: Record<string, unknown>;
  inverted?: boolean;
  reason?: string;
  /** The rule applies only to principals of such an organisation (for example OVERSIGHT bodies). */
  when?: { organizationKind?: OrganizationKind };
}

export interface PolicyDocument {
  role: Role;
  description?: string;
  rules: PolicyRule[];
}

/** The policy version in force for one role. */
export interface ActivePolicy {
  role: Role;
  version: number;
  rules: PolicyRule[];
}

/** Supplies the active policy of each role; implemented over the access_policy table. */
export interface ActivePolicySource {
  activePolicies(): Promise<ActivePolicy[]>;
}
export const ACTIVE_POLICY_SOURCE = Symbol('ACTIVE_POLICY_SOURCE');
