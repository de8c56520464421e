import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Connection } from '@libs/graphql/pagination.js';
import { DataCategoryEnum } from '@app/modules/consents/consent.enums.js';
import type { EmergencyRecord } from './responder.repository.js';

/** A §2.51(c) record, as the disclosing program sees it (its notification). */
@ObjectType('EmergencyDisclosure')
export class EmergencyDisclosureModel {
  @Field(() => ID)
  id: string;

  @Field(() => ID, { description: 'The audit event of the disclosure (the responder\'s disclosureId).' })
  disclosureId: string;

  @Field(() => ID)
  patientId: string;

  @Field(() => String, { description: '§2.51(c)(1): the medical personnel who received the information.' })
  medicalPersonnelName: string;

  @Field(() => String, { description: '§2.51(c)(1): their affiliation.' })
  medicalPersonnelAffiliation: string;

  @Field(() => String, { description: '§2.51(c)(2): who made the disclosure.' })
  disclosedBy: string;

  @Field(() => Date, { description: '§2.51(c)(3).' })
  occurredAt: Date;

  @Field(() => String, { description: '§2.51(c)(4).' })
  natureOfEmergency: string;

  @Field(() => String)
  incidentNumber: string;

  @Field(() => [DataCategoryEnum])
  disclosedCategories: string[];

  @Field(() => Date, { nullable: true })
  acknowledgedAt: Date | null;

  @Field(() => String, { nullable: true })
  acknowledgedBy: string | null;

  static from(record: EmergencyRecord): EmergencyDisclosureModel {
    return Object.assign(new EmergencyDisclosureModel(), {
      id: record.id,
      disclosureId: record.auditEventId,
      patientId: record.patientId,
      medicalPersonnelName: record.requesterName,
      medicalPersonnelAffiliation: record.requesterAffiliation,
      disclosedBy: record.disclosedBy,
      occurredAt: record.occurredAt,
      natureOfEmergency: record.natureOfEmergency,
      incidentNumber: record.incidentNumber,
      disclosedCategories: record.disclosedCategories,
      acknowledgedAt: record.acknowledgedAt,
      acknowledgedBy: record.acknowledgedBy,
    });
  }
}

@ObjectType('EmergencyDisclosureConnection')
export class EmergencyDisclosureConnection extends Connection(EmergencyDisclosureModel, 'EmergencyDisclosure') {}
