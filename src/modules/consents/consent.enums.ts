import { graphqlEnum } from '@libs/graphql/enums.js';
import { CONSENT_PURPOSES, CONSENT_STATUSES, DATA_CATEGORIES, REVOCATION_METHODS, SIGNER_RELATIONSHIPS } from './consent.js';

export const ConsentPurposeEnum = graphqlEnum(CONSENT_PURPOSES, { name: 'ConsentPurpose', description: 'Why information may be disclosed (§2.31(a)(5)).' });
export const DataCategoryEnum = graphqlEnum(DATA_CATEGORIES, { name: 'DataCategory', description: 'What may be disclosed (§2.31(a)(3)).' });
export const SignerRelationshipEnum = graphqlEnum(SIGNER_RELATIONSHIPS, { name: 'SignerRelationship', description: 'Who signed, in relation to the patient (§2.14, §2.15).' });
export const RevocationMethodEnum = graphqlEnum(REVOCATION_METHODS, { name: 'RevocationMethod' });
export const ConsentStatusEnum = graphqlEnum(CONSENT_STATUSES, { name: 'ConsentStatus', description: 'Computed when asked, never stored (C6).' });
