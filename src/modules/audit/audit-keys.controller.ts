import { Controller, Get, Header, Inject, NotFoundException } from '@nestjs/common';
import type { JSONWebKeySet } from 'jose';
import { Public } from '@libs/auth/public.decorator.js';
import { AUDIT_SIGNING_KEY, type AuditSigningKey, publicKeySet } from '@libs/ledger/audit-signing-key.js';
import { AuditService } from './audit.service.js';

/**
 * What an outside auditor needs to check the ledger (C18): the public key of audit checkpoints,
 * and the newest signed checkpoint, which anyone may keep as a receipt (it holds hashes only).
 */
@Controller('.well-known')
export class AuditKeysController {
  constructor(
    @Inject(AUDIT_SIGNING_KEY) private readonly key: AuditSigningKey,
    private readonly audit: AuditService,
  ) {}

  @Public()
  @Get('audit-keys.json')
  @Header('Cache-Control', 'public, max-age=300')
  keys(): JSONWebKeySet {
    return publicKeySet(this.key);
  }

  @Public()
  @Get('audit-head')
  @Header('Cache-Control', 'no-store')
  async head(): Promise<{ checkpoint: number; firstSequence: string; lastSequence: string; head: string; sealedAt: string; jws: string }> {
    const newest = await this.audit.newestCheckpoint();
    if (!newest) throw new NotFoundException('no checkpoint has been signed yet');
    return newest;
  }
}
