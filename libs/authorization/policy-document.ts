import type { AgencyType, OrganizationKind, Role } from '@libs/auth/principal.js';

/** One CASL rule as stored in `access_policy.rules` and in `policies/*.json`. */
export interface PolicyRule {
  action: string | string[];
  subject: string | string[];
  fields?: string[];
  conditions?: Record<string, unknown>;
  inverted?: boolean;
  reason?: string;
  /**
   * The rule applies only to principals of such an organisation: of that kind (for example
   * OVERSIGHT bodies), and/or a responder agency of that type (or one of those types). A `when`
   * only narrows who a rule applies to; it is never an organisation scope (guard-rails.ts).
   */
  when?: { organizationKind?: OrganizationKind; agencyType?: AgencyType | AgencyType[] };
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
