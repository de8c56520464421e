import { Field, ID, ObjectType } from '@nestjs/graphql';
import { graphqlEnum } from '@libs/graphql/enums.js';
import { DataCategoryEnum } from '@app/modules/consents/consent.enums.js';
import type { DisclosureBasis } from '@app/modules/responder/lookup-decision.js';
import { DisclosureBasisEnum } from '@app/modules/responder/lookup-result.model.js';
import type { AuditIntegrity } from '@libs/ledger/audit-integrity.js';
import { ACCOUNTING_FORMATS, type AccountingFormat, type DisclosureEntry } from './accounting.js';
import { AuditIntegrityEnum } from './audit.model.js';

export const AccountingFormatEnum = graphqlEnum(ACCOUNTING_FORMATS, { name: 'AccountingFormat' });

@ObjectType('DisclosureRecipient')
export class DisclosureRecipientModel {
  @Field(() => String)
  organizationKey: string;

  @Field(() => String)
  organizationName: string;

  @Field(() => String, { nullable: true })
  personName: string | null;

  @Field(() => String)
  personId: string;
}

/** One disclosure in a patient's accounting of disclosures (C19, 164.528, §2.24/§2.25). */
@ObjectType('Disclosure')
export class DisclosureModel {
  @Field(() => ID, { description: 'The audit event of the disclosure.' })
  disclosureId: string;

  @Field(() => Date)
  disclosedAt: Date;

  @Field(() => String)
  disclosingOrganizationKey: string;

  @Field(() => DisclosureRecipientModel)
  recipient: DisclosureRecipientModel;

  @Field(() => String, { description: 'What was disclosed, in words.' })
  description: string;

  @Field(() => [DataCategoryEnum])
  categories: string[];

  @Field(() => DisclosureBasisEnum)
  basis: DisclosureBasis;

  @Field(() => String, { nullable: true })
  purpose: string | null;

  @Field(() => ID, { nullable: true })
  consentId: string | null;

  @Field(() => ID, { nullable: true, description: 'The partnership agreement in force between the program and the recipient agency when it was disclosed (issue 15).' })
  partnershipAgreementId: string | null;

  @Field(() => String, { nullable: true })
  natureOfEmergency: string | null;

  @Field(() => String, { description: 'The purpose or legal basis, in words.' })
  legalBasis: string;

  @Field(() => String, { nullable: true })
  incidentNumber: string | null;

  @Field(() => AuditIntegrityEnum, { description: 'Whether the audit row behind this entry is what the ledger sealed (C18).' })
  integrity: AuditIntegrity;

  static from(entry: DisclosureEntry): DisclosureModel {
    return Object.assign(new DisclosureModel(), {
      disclosureId: entry.disclosureId,
      disclosedAt: entry.disclosedAt,
      disclosingOrganizationKey: entry.disclosingOrganizationKey,
      recipient: { organizationKey: entry.recipientOrganizationKey, organizationName: entry.recipientOrganizationName, personName: entry.recipientPersonName, personId: entry.recipientPersonId },
      description: entry.description,
      categories: entry.categories,
      basis: entry.basis,
      purpose: entry.purpose,
      consentId: entry.consentId,
      partnershipAgreementId: entry.partnershipAgreementId,
      natureOfEmergency: entry.natureOfEmergency,
      legalBasis: entry.legalBasisInWords,
      incidentNumber: entry.incidentNumber,
      integrity: entry.integrity,
    });
  }
}

@ObjectType('DisclosureExport')
export class DisclosureExportModel {
  @Field(() => AccountingFormatEnum)
  format: AccountingFormat;

  @Field(() => String)
  contentType: string;

  @Field(() => String, { description: 'The CSV text (a first line naming the patient record, the program and the period, then the column row), or the FHIR Bundle as JSON text.' })
  content: string;

  @Field(() => String, { description: 'A file name for the download: the kind of document and the period, nothing about the person.' })
  fileName: string;
}
