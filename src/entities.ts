import { OrganizationEntity } from './modules/organizations/organization.entity.js';
import { AccessPolicyEntity } from './modules/policies/access-policy.entity.js';

/**
 * The TypeORM entities: the tables read through TypeORM's API (docs/architecture.md, "TypeORM and
 * SQL"). Tables read and written only in SQL have a row type beside their statements instead.
 */
export const ENTITIES: Function[] = [OrganizationEntity, AccessPolicyEntity];
