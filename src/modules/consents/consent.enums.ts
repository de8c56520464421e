import { registerEnumType } from '@nestjs/graphql';
import { CONSENT_PURPOSES, CONSENT_STATUSES, DATA_CATEGORIES, REVOCATION_METHODS, SIGNER_RELATIONSHIPS } from './consent.js';

const enumOf = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const ConsentPurposeEnum = enumOf(CONSENT_PURPOSES);
registerEnumType(ConsentPurposeEnum, { name: 'ConsentPurpose', description: 'Why information may be disclosed (§2.31(a)(5)).' });
export const DataCategoryEnum = enumOf(DATA_CATEGORIES);
registerEnumType(DataCategoryEnum, { name: 'DataCategory', description: 'What may be disclosed (§2.31(a)(3)).' });
export const SignerRelationshipEnum = enumOf(SIGNER_RELATIONSHIPS);
registerEnumType(SignerRelationshipEnum, { name: 'SignerRelationship', description: 'Who signed, in relation to the patient (§2.14, §2.15).' });
export const RevocationMethodEnum = enumOf(REVOCATION_METHODS);
registerEnumType(RevocationMethodEnum, { name: 'RevocationMethod' });
export const ConsentStatusEnum = enumOf(CONSENT_STATUSES);
registerEnumType(ConsentStatusEnum, { name: 'ConsentStatus', description: 'Computed when asked, never stored (C6).' });
