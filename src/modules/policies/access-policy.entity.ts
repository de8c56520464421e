import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { PolicyRule } from '@libs/authorization/policy-document.js';

@Entity({ name: 'access_policy' })
export class AccessPolicyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  role: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'jsonb' })
  rules: PolicyRule[];

  @Column({ type: 'text', name: 'content_hash' })
  contentHash: string;

  @Column({ type: 'text' })
  source: 'DEFAULT' | 'PUBLISHED';

  @Column({ type: 'timestamptz', name: 'published_at' })
  publishedAt: Date;

  @Column({ type: 'text', name: 'published_by' })
  publishedBy: string;

  @Column({ type: 'boolean' })
  active: boolean;
}
