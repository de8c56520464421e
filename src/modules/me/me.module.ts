import { Module } from '@nestjs/common';
import { MeResolver } from './me.resolver.js';
import { MeService } from './me.service.js';

/** `me`: the signed-in person, for the app's "who am I". */
@Module({ providers: [MeService, MeResolver] })
export class MeModule {}
