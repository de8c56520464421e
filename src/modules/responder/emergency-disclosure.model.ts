import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Connection } from '@libs/graphql/pagination.js';
import { DataCategoryEnum } from '@app/modules/consents/consent.enums.js';
import type { EmergencyRecord } from './emergency-disclosures.service.js';

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
      disclosureId: record.audit_event_id,
      patientId: record.patient_id,
      medicalPersonnelName: record.requester_name,
      medicalPersonnelAffiliation: record.requester_affiliation,
      disclosedBy: record.disclosed_by,
      occurredAt: record.occurred_at,
      natureOfEmergency: record.natureOfEmergency,
      incidentNumber: record.incident_number,
      disclosedCategories: record.disclosed_categories,
      acknowledgedAt: record.acknowledged_at,
      acknowledgedBy: record.acknowledged_by,
    });
  }
}

@ObjectType('EmergencyDisclosureConnection')
export class EmergencyDisclosureConnection extends Connection(EmergencyDisclosureModel, 'EmergencyDisclosure') {}
