import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AgencyType, OrganizationKind } from '@libs/auth/principal.js';

@Entity({ name: 'organization' })
export class OrganizationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  key: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  kind: OrganizationKind;

  /** A responder agency's type (OTHER when not given, set by the database); null for other kinds. */
  @Column({ type: 'text', name: 'agency_type', nullable: true })
  agencyType: AgencyType | null;

  @Column({ type: 'boolean', name: 'part2_program' })
  part2Program: boolean;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;

  @Column({ type: 'text', name: 'created_by' })
  createdBy: string;

  /** Set once, when an admin deactivates it (never cleared: docs/console.md, "Organizations"). */
  @Column({ type: 'timestamptz', name: 'deactivated_at', nullable: true })
  deactivatedAt: Date | null;

  @Column({ type: 'text', name: 'deactivated_by', nullable: true })
  deactivatedBy: string | null;
}
