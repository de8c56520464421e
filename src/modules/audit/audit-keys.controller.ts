import { Controller, Get, Header, Inject } from '@nestjs/common';
import type { JSONWebKeySet } from 'jose';
import { Public } from '@libs/auth/public.decorator.js';
import { AUDIT_SIGNING_KEY, type AuditSigningKey, publicKeySet } from '@libs/ledger/audit-signing-key.js';

/** The public key of audit checkpoints, so an outside auditor can check their signatures (C18). */
@Controller('.well-known')
export class AuditKeysController {
  constructor(@Inject(AUDIT_SIGNING_KEY) private readonly key: AuditSigningKey) {}

  @Public()
  @Get('audit-keys.json')
  @Header('Cache-Control', 'public, max-age=300')
  keys(): JSONWebKeySet {
    return publicKeySet(this.key);
  }
}
