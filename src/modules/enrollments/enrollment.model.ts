import { Field, ID, ObjectType } from '@nestjs/graphql';
import { graphqlEnum } from '@libs/graphql/enums.js';
import { DateScalar } from '@libs/graphql/scalars.js';
import { ENROLLMENT_STATUSES, type Enrollment, type EnrollmentStatus, SERVICE_TYPES, type ServiceType } from './enrollment.js';

export const ServiceTypeEnum = graphqlEnum(SERVICE_TYPES, { name: 'ServiceType' });
export const EnrollmentStatusEnum = graphqlEnum(ENROLLMENT_STATUSES, { name: 'EnrollmentStatus' });

@ObjectType('CareTeamContact')
export class CareTeamContactModel {
  @Field(() => String)
  name: string;

  @Field(() => String)
  role: string;

  @Field(() => String)
  phone: string;

  @Field(() => String, { nullable: true })
  afterHoursPhone: string | null;

  @Field(() => String, { nullable: true })
  hours: string | null;
}

@ObjectType('Enrollment')
export class EnrollmentModel {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  patientId: string;

  @Field(() => String)
  programName: string;

  @Field(() => ServiceTypeEnum)
  serviceType: ServiceType;

  @Field(() => EnrollmentStatusEnum)
  status: EnrollmentStatus;

  @Field(() => DateScalar)
  startedOn: string;

  @Field(() => DateScalar, { nullable: true })
  endedOn: string | null;

  @Field(() => [CareTeamContactModel])
  careTeam: CareTeamContactModel[];

  @Field(() => String, { nullable: true })
  engagementNotes: string | null;

  @Field(() => [String], { description: 'C1: 42CFRPart2 + SUD, SUD, MH or NORMAL.' })
  sensitivityLabels: string[];

  @Field(() => String, { description: 'C1: R (restricted) or V (very restricted).' })
  confidentiality: string;

  @Field(() => Date)
  createdAt: Date;

  static from(enrollment: Enrollment): EnrollmentModel {
    return Object.assign(new EnrollmentModel(), {
      id: enrollment.id,
      patientId: enrollment.patientId,
      programName: enrollment.programName,
      serviceType: enrollment.serviceType,
      status: enrollment.status,
      startedOn: enrollment.startedOn,
      endedOn: enrollment.endedOn,
      careTeam: enrollment.careTeam.map((c) => Object.assign(new CareTeamContactModel(), c)),
      engagementNotes: enrollment.engagementNotes,
      sensitivityLabels: enrollment.sensitivityLabels,
      confidentiality: enrollment.confidentiality,
      createdAt: enrollment.createdAt,
    });
  }
}
