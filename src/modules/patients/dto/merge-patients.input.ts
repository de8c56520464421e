import { Field, ID, InputType } from '@nestjs/graphql';
import { IsString } from 'class-validator';

/** Two records of one person at one provider: the merged one follows the survivor. */
@InputType('MergePatientsInput')
export class MergePatientsInput {
  @Field(() => ID, { description: 'The record that stays, with its identity.' })
  @IsString()
  survivorId: string;

  @Field(() => ID, { description: 'The record merged into it: its enrollments and consents move; its id answers as the survivor.' })
  @IsString()
  mergedId: string;
}
