import { Controller, Get, Header, Inject } from '@nestjs/common';
import type { JSONWebKeySet } from 'jose';
import { Public } from './public.decorator.js';
import { DevIssuer } from './dev-issuer.js';

/** Serves the development issuer's public key; registered only when the dev issuer is in use. */
@Controller('.well-known')
export class DevIssuerController {
  constructor(@Inject(DevIssuer) private readonly issuer: DevIssuer) {}

  @Public()
  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  jwks(): JSONWebKeySet {
    return this.issuer.jwks;
  }
}
