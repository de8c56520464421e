import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A provider's record of one person. Identifiers are ciphertext (C23). */
@Entity({ name: 'patient' })
export class PatientEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid', name: 'organization_id' })
  organizationId: string;

  @Column({ type: 'text', name: 'given_name_enc' })
  givenNameEnc: string;

  @Column({ type: 'text', name: 'family_name_enc' })
  familyNameEnc: string;

  @Column({ type: 'text', name: 'date_of_birth_enc' })
  dateOfBirthEnc: string;

  @Column({ type: 'text', name: 'aliases_enc' })
  aliasesEnc: string;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;

  @Column({ type: 'text', name: 'created_by' })
  createdBy: string;
}

/** Blind index of one (family name, date of birth, given name or alias) of a patient. */
@Entity({ name: 'patient_match_key' })
export class PatientMatchKeyEntity {
  @Column({ type: 'text', name: 'match_key', primary: true })
  matchKey: string;

  @Column({ type: 'uuid', name: 'patient_id', primary: true })
  patientId: string;

  @Column({ type: 'uuid', name: 'organization_id' })
  organizationId: string;
}
