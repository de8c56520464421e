import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type Actor, CurrentActor } from '@libs/authorization/actor.js';
import { RequirePolicy } from '@libs/authorization/require-policy.decorator.js';
import { decodeCursor, encodeCursor, pageSize, toConnection } from '@libs/graphql/pagination.js';
import { FindPatientsInput } from './dto/find-patients.input.js';
import { RegisterPatientInput } from './dto/register-patient.input.js';
import { PatientConnection, PatientModel } from './patient.model.js';
import { PatientsService } from './patients.service.js';

@Resolver(() => PatientModel)
export class PatientsResolver {
  constructor(private readonly service: PatientsService) {}

  @Mutation(() => PatientModel)
  @RequirePolicy('create', 'Patient')
  async registerPatient(@CurrentActor() actor: Actor, @Args('input') input: RegisterPatientInput): Promise<PatientModel> {
    return PatientModel.from(await this.service.register(actor, { ...input, aliases: input.aliases ?? [] }));
  }

  @Query(() => PatientConnection)
  @RequirePolicy('read', 'Patient')
  async patients(
    @CurrentActor() actor: Actor,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<PatientConnection> {
    const page = await this.service.list(actor, pageSize(first), decodeCursor(after, ['time', 'uuid']) as [string, string] | null);
    const byId = new Map(page.items.map((p) => [p.id, p]));
    return toConnection({ items: page.items.map(PatientModel.from), hasNextPage: page.hasNextPage }, (m) => encodeCursor(byId.get(m.id)!.sortKey));
  }

  @Query(() => [PatientModel], {
    description: "Your organisation's patients who are this person (a given name or alias, the family name and date of birth), oldest record first. Audited.",
  })
  @RequirePolicy('read', 'Patient')
  async findPatients(@CurrentActor() actor: Actor, @Args('input') input: FindPatientsInput): Promise<PatientModel[]> {
    return (await this.service.find(actor, input)).map(PatientModel.from);
  }

  @Query(() => PatientModel, { nullable: true, description: 'Null for an unknown id and for another organisation\'s patient alike.' })
  @RequirePolicy('read', 'Patient')
  async patient(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<PatientModel | null> {
    const patient = await this.service.get(actor, id);
    return patient ? PatientModel.from(patient) : null;
  }
}
