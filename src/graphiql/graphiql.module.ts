import { Module } from '@nestjs/common';
import { AppConfig } from '@libs/config/app-config.js';
import { devTokenCommand } from '../cli/dev-token-command.js';
import { DEMO_PRINCIPALS } from '../demo/demo-data.js';
import { GraphiqlController } from './graphiql.controller.js';
import { GraphiqlFiles } from './graphiql-files.js';

/** How a person gets a token for GraphiQL here, in the words of its first editor. */
export function graphiqlTokenSteps(config: AppConfig): string[] {
  if (!config.usesDevIssuer) return ['Every request needs an access token from your', 'identity provider (AUTH_ISSUER).'];
  const example = DEMO_PRINCIPALS.find((p) => p.role === 'provider_staff') ?? DEMO_PRINCIPALS[0];
  return [
    'Every request needs an access token. Mint one for a',
    'demo person in a terminal (the start banner prints',
    'one such command per role):',
    `  ${devTokenCommand(config, example)}`,
  ];
}

/**
 * GraphiQL served by this service from its npm packages (no CDN), keeping nothing in the browser.
 * Imported only outside production (AppModule).
 */
@Module({
  controllers: [GraphiqlController],
  providers: [{ provide: GraphiqlFiles, useFactory: (config: AppConfig) => GraphiqlFiles.load({ tokenSteps: graphiqlTokenSteps(config) }), inject: [AppConfig] }],
})
export class GraphiqlModule {}
