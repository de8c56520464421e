import { OrganizationEntity } from './modules/organizations/organization.entity.js';
import { PatientEntity, PatientMatchKeyEntity } from './modules/patients/patient.entity.js';
import { AccessPolicyEntity } from './modules/policies/access-policy.entity.js';

/** Every TypeORM entity of the application. */
export const ENTITIES: Function[] = [OrganizationEntity, PatientEntity, PatientMatchKeyEntity, AccessPolicyEntity];
