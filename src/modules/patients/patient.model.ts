import { Field, ID, ObjectType } from '@nestjs/graphql';
import { DateScalar } from '@libs/graphql/scalars.js';
import { Connection } from '@libs/graphql/pagination.js';
import type { Patient } from './patient.js';

@ObjectType('Patient')
export class PatientModel {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  givenName: string;

  @Field(() => String)
  familyName: string;

  @Field(() => DateScalar)
  dateOfBirth: string;

  @Field(() => [String])
  aliases: string[];

  @Field(() => Date)
  createdAt: Date;

  static from(patient: Patient): PatientModel {
    return Object.assign(new PatientModel(), {
      id: patient.id,
      givenName: patient.givenName,
      familyName: patient.familyName,
      dateOfBirth: patient.dateOfBirth,
      aliases: patient.aliases,
      createdAt: patient.createdAt,
    });
  }
}

@ObjectType('PatientConnection')
export class PatientConnection extends Connection(PatientModel, 'Patient') {}
