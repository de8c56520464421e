import { Injectable } from '@nestjs/common';
import type { Actor } from '@libs/authorization/actor.js';
import { decide } from '@libs/authorization/ability.js';
import { sqlScope } from '@libs/authorization/sql-scope.js';
import { TransactionRunner, type Tx } from '@libs/database/transaction-runner.js';
import { BadUserInputError, ForbiddenError, PossibleDuplicateError } from '@libs/graphql/errors.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import type { AuditActor } from '@libs/ledger/audit-event.js';
import { normalizeName } from './identity-normalizer.js';
import type { NewPatient, Patient } from './patient.js';
import { PatientIdentityRepository } from './patient-identity.repository.js';
import { PATIENT_SCOPE_COLUMNS, PatientsRepository } from './patients.repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * Treatment providers' patients. A patient of another organisation is indistinguishable from
 * one that does not exist: same null, same error, same audit shape.
 */
@Injectable()
export class PatientsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly patients: PatientsRepository,
    private readonly ledger: AuditLedger,
    private readonly identities: PatientIdentityRepository,
  ) {}

  register(actor: Actor, input: NewPatient): Promise<Patient> {
    return this.transactions.run((tx) => this.registerIn(tx, actor, input));
  }

  async registerIn(tx: Tx, actor: Actor | (AuditActor & { organizationId: string }), input: NewPatient): Promise<Patient> {
    // Only a treatment provider has patients, whatever a token's roles say.
    if ('principal' in actor && actor.principal.org.kind !== 'TREATMENT_PROVIDER') throw new ForbiddenError();
    const aliases = [...new Set((input.aliases ?? []).map((a) => a.trim()))];
    const person = { givenName: input.givenName.trim(), familyName: input.familyName.trim(), dateOfBirth: input.dateOfBirth, aliases };
    // A name made only of punctuation would match everyone else's punctuation-only name.
    const blank = (['givenName', 'familyName'] as const).filter((field) => normalizeName(person[field]) === '');
    if (aliases.some((a) => normalizeName(a) === '')) blank.push('aliases' as never);
    if (blank.length > 0) throw new BadUserInputError(blank);
    const organizationId = 'principal' in actor ? actor.principal.org.id : actor.organizationId;
    const createdBy = 'principal' in actor ? actor.principal.sub : actor.sub;
    // A second record of one person hides them from every lookup (two matches answer "no"):
    // refused unless the staff member confirms it is another person.
    await this.identities.lockIdentities(tx, organizationId);
    const duplicate = await this.identities.possibleDuplicate(tx, organizationId, this.identities.matchKeysOf(person), null);
    if (duplicate && !input.confirmDistinctPerson) throw new PossibleDuplicateError(duplicate);
    const id = await this.patients.insert(tx, organizationId, person, createdBy);
    const patient = (await this.patients.findById(tx, id))!;
    if ('principal' in actor && !decide(actor.ability, 'create', 'Patient', { organizationKey: patient.organizationKey }).allowed) {
      throw new ForbiddenError();
    }
    await this.ledger.append(tx, actor, {
      action: 'registerPatient',
      outcome: 'SUCCESS',
      patientIds: [id],
      subjectOrganizationKeys: [patient.organizationKey],
      ...(duplicate ? { details: { confirmedDistinctPerson: true, possibleDuplicateOf: duplicate } } : {}),
    });
    return patient;
  }

  /** The patient if the caller may `action` it; otherwise null, exactly as for an unknown id. */
  async findAccessible(tx: Tx, actor: Actor, id: string, action: 'read' | 'update'): Promise<Patient | null> {
    if (!isUuid(id)) return null;
    const patient = await this.patients.findById(tx, id);
    if (!patient) return null;
    return decide(actor.ability, action, 'Patient', { organizationKey: patient.organizationKey, id: patient.id }).allowed ? patient : null;
  }

  get(actor: Actor, id: string): Promise<Patient | null> {
    return this.transactions.run(async (tx) => {
      const patient = await this.findAccessible(tx, actor, id, 'read');
      await this.ledger.append(tx, actor, {
        action: 'patient',
        outcome: 'SUCCESS',
        patientIds: patient ? [patient.id] : [],
        subjectOrganizationKeys: patient ? [patient.organizationKey] : [],
        details: { found: patient !== null },
      });
      return patient;
    });
  }

  list(actor: Actor, limit: number, after: [string, string] | null): Promise<{ items: Patient[]; hasNextPage: boolean }> {
    return this.transactions.run(async (tx) => {
      const scope = sqlScope(actor.ability, 'read', 'Patient', PATIENT_SCOPE_COLUMNS);
      const page = await this.patients.page(tx, scope, limit, after);
      await this.ledger.append(tx, actor, {
        action: 'patients',
        outcome: 'SUCCESS',
        patientIds: page.items.map((p) => p.id),
        subjectOrganizationKeys: [...new Set(page.items.map((p) => p.organizationKey))],
        details: { count: page.items.length },
      });
      return page;
    });
  }
}
