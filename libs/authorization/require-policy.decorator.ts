import { SetMetadata } from '@nestjs/common';
import type { ActionName, SubjectName } from './vocabulary.js';

export const REQUIRED_POLICY = 'crisis-link:required-policy';

export interface RequiredPolicy {
  action: ActionName;
  subject: SubjectName;
}

/**
 * Names the policy an operation needs (CONVENTIONS rule 1). An operation without one is refused
 * by the PolicyGuard, and a test fails the build for it.
 */
export const RequirePolicy = (action: ActionName, subject: SubjectName) => SetMetadata(REQUIRED_POLICY, { action, subject } satisfies RequiredPolicy);
