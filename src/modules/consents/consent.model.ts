import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { JsonScalar } from '@libs/graphql/scalars.js';
import type { ConsentPurpose, ConsentStatus, DataCategory, RevocationMethod, SignerRelationship } from './consent.js';
import { ConsentPurposeEnum, ConsentStatusEnum, DataCategoryEnum, RevocationMethodEnum, SignerRelationshipEnum } from './consent.enums.js';
import type { ConsentView } from './consents.service.js';

@ObjectType('ConsentOrganization')
export class ConsentOrganizationModel {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  key: string;

  @Field(() => String)
  name: string;
}

@ObjectType('ConsentRecipient')
export class ConsentRecipientModel {
  @Field(() => ConsentOrganizationModel)
  organization: ConsentOrganizationModel;

  @Field(() => Date, { nullable: true, description: 'When this recipient\'s permission was revoked, if it was.' })
  revokedAt: Date | null;
}

@ObjectType('ConsentSigner')
export class ConsentSignerModel {
  @Field(() => String)
  name: string;

  @Field(() => SignerRelationshipEnum)
  relationship: SignerRelationship;
}

@ObjectType('ConsentAcknowledgements')
export class ConsentAcknowledgementsModel {
  @Field(() => Boolean)
  rightToRevoke: boolean;

  @Field(() => Boolean)
  treatmentNotConditioned: boolean;

  @Field(() => Boolean)
  redisclosureRestricted: boolean;
}

@ObjectType('ConsentRevocation')
export class ConsentRevocationModel {
  @Field(() => ID)
  id: string;

  @Field(() => Boolean, { description: 'True when the whole consent was revoked, false for some recipients only.' })
  whole: boolean;

  @Field(() => [String])
  recipientOrganizationKeys: string[];

  @Field(() => RevocationMethodEnum)
  method: RevocationMethod;

  @Field(() => Date)
  receivedAt: Date;

  @Field(() => Date, { description: 'From this instant the revocation governs every decision (C5).' })
  recordedAt: Date;
}

@ObjectType('Consent')
export class ConsentModel {
  @Field(() => ID)
  id: string;

  @Field(() => Int, { description: 'Version within its history; 1 for a first consent.' })
  version: number;

  @Field(() => ID)
  patientId: string;

  @Field(() => ConsentOrganizationModel, { description: '§2.31(a)(2): the program that may disclose.' })
  disclosingOrganization: ConsentOrganizationModel;

  @Field(() => [ConsentRecipientModel], { description: '§2.31(a)(4).' })
  recipients: ConsentRecipientModel[];

  @Field(() => ConsentPurposeEnum)
  purpose: ConsentPurpose;

  @Field(() => [DataCategoryEnum])
  dataCategories: DataCategory[];

  @Field(() => Date)
  effectiveFrom: Date;

  @Field(() => Date)
  expiresAt: Date;

  @Field(() => String, { nullable: true })
  expirationEvent: string | null;

  @Field(() => ConsentSignerModel)
  signedBy: ConsentSignerModel;

  @Field(() => Date)
  signedAt: Date;

  @Field(() => ConsentAcknowledgementsModel)
  acknowledgements: ConsentAcknowledgementsModel;

  @Field(() => ConsentStatusEnum, { description: 'At asOf.' })
  status: ConsentStatus;

  @Field(() => Date, { description: 'The instant status was computed for.' })
  asOf: Date;

  @Field(() => String, { description: 'The scope in plain words, as it travels with each disclosure (§2.32(b)).' })
  scopeDescription: string;

  @Field(() => String, { description: 'What to hand to the patient: what, with whom, why, until when, how to revoke.' })
  receipt: string;

  @Field(() => ID, { nullable: true })
  supersedesConsentId: string | null;

  @Field(() => ID, { nullable: true })
  supersededByConsentId: string | null;

  @Field(() => [ConsentRevocationModel])
  revocations: ConsentRevocationModel[];

  @Field(() => Date)
  recordedAt: Date;

  @Field(() => String)
  recordedBy: string;

  @Field(() => [ConsentModel], { description: 'Every version of this consent, oldest first (C7).' })
  versions: ConsentModel[];

  @Field(() => JsonScalar, { description: 'This version as a FHIR R4 Consent resource (C24).' })
  fhir: Record<string, unknown>;

  static from(view: ConsentView): ConsentModel {
    const c = view.consent;
    const keyOf = new Map(c.recipients.map((r) => [r.id, r.key]));
    const revokedAt = (id: string) =>
      c.revocations.find((r) => r.recordedAt.getTime() <= view.asOf.getTime() && (r.whole || r.recipientOrganizationIds.includes(id)))?.recordedAt ?? null;
    return Object.assign(new ConsentModel(), {
      id: c.id,
      version: c.version,
      patientId: c.patientId,
      disclosingOrganization: c.disclosingOrganization,
      recipients: c.recipients.map((r) => ({ organization: r, revokedAt: revokedAt(r.id) })),
      purpose: c.purpose,
      dataCategories: c.dataCategories,
      effectiveFrom: c.effectiveFrom,
      expiresAt: c.expiresAt,
      expirationEvent: c.expirationEvent,
      signedBy: { name: c.signerName, relationship: c.signerRelationship },
      signedAt: c.signedAt,
      acknowledgements: c.acknowledgements,
      status: view.status,
      asOf: view.asOf,
      scopeDescription: c.scopeDescription,
      receipt: view.receipt,
      supersedesConsentId: c.supersedesConsentId,
      supersededByConsentId: c.supersededByConsentId,
      revocations: c.revocations.map((r) => ({
        id: r.id,
        whole: r.whole,
        recipientOrganizationKeys: r.whole ? c.recipients.map((x) => x.key) : r.recipientOrganizationIds.map((id) => keyOf.get(id)!),
        method: r.method,
        receivedAt: r.receivedAt,
        recordedAt: r.recordedAt,
      })),
      recordedAt: c.recordedAt,
      recordedBy: c.recordedBy,
      versions: view.versions.map((v) => ConsentModel.from(v)),
      fhir: view.fhir,
    });
  }
}
