import { Field, ID, ObjectType } from '@nestjs/graphql';
import { DateScalar } from '@libs/graphql/scalars.js';
import type { ReviewPatient } from './patient-review.service.js';

/** A patient record found for a compliance review: enough to tell people apart and to follow the ids into the audit log. */
@ObjectType('ReviewPatient')
export class ReviewPatientModel {
  @Field(() => ID, { description: 'Use it with auditEvents(filter: { patientId }) and accountingOfDisclosures.' })
  id: string;

  @Field(() => String, { description: 'The treatment provider whose record this is.' })
  organizationKey: string;

  @Field(() => String)
  organizationName: string;

  @Field(() => String)
  givenName: string;

  @Field(() => String)
  familyName: string;

  @Field(() => DateScalar)
  dateOfBirth: string;

  @Field(() => [String])
  aliases: string[];

  @Field(() => Date)
  registeredAt: Date;

  @Field(() => [ID], { description: 'Records merged into this one: older audit events name them; filtering by this id finds them too.' })
  mergedPatientIds: string[];

  static from(patient: ReviewPatient): ReviewPatientModel {
    return Object.assign(new ReviewPatientModel(), {
      id: patient.id,
      organizationKey: patient.organizationKey,
      organizationName: patient.organizationName,
      givenName: patient.givenName,
      familyName: patient.familyName,
      dateOfBirth: patient.dateOfBirth,
      aliases: patient.aliases,
      registeredAt: patient.createdAt,
      mergedPatientIds: patient.mergedPatientIds,
    });
  }
}
