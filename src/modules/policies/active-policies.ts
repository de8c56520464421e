import { Injectable } from '@nestjs/common';
import type { ActivePolicy, ActivePolicySource } from '@libs/authorization/policy-document.js';
import { DataAccess } from '@libs/database/data-access.js';
import { AccessPolicyRepository } from './access-policy.repository.js';

/** The versions in force, read for every caller's ability before there is a caller: a system act. */
@Injectable()
export class ActivePolicies implements ActivePolicySource {
  constructor(
    private readonly data: DataAccess,
    private readonly policies: AccessPolicyRepository,
  ) {}

  activePolicies(): Promise<ActivePolicy[]> {
    return this.data.forSystem('loadActivePolicies').autocommit((db) => this.policies.activePolicies(db));
  }
}
