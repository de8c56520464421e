import { DemoDataSeeder } from './demo/demo-data.seeder.js';
import { DEMO_PRINCIPALS } from './demo/demo-data.js';
import { buildApp } from './bootstrap.js';
import { ConfigurationError } from '@libs/config/app-config.js';

function banner(port: number, seeded: boolean, devIssuer: boolean, publicUrl: string): string {
  const base = `http://localhost:${port}`;
  const lines = [
    '',
    `crisis-link is running. Open it in a browser: ${publicUrl}/`,
    devIssuer ? `  sign in there as any demo person (development identity provider at ${publicUrl}/dev-idp)` : `  sign in there with your identity provider`,
    ...(devIssuer ? ['  as Alice Responder, look up Dana Rivera, born 04/12/1990 (incident number: any, e.g. INC-1): her care team is a tap away'] : []),
    `API: ${base}/graphql ${devIssuer ? '(GraphiQL: open it in a browser)' : ''}`,
    `health: ${base}/health/ready`,
  ];
  if (seeded || devIssuer) {
    lines.push('', 'Mint a development token for a demo user of each role (in another terminal):');
    for (const p of DEMO_PRINCIPALS) lines.push(`  npm run -s token -- --role ${p.role} --org ${p.org} --sub ${p.sub} --name "${p.name}"`);
    lines.push(
      '',
      'Then, in GraphiQL, set the header  {"Authorization": "Bearer <token>"}  and paste, with the provider_staff token:',
      '  query { patients(first: 10) { nodes { id givenName familyName enrollments { programName careTeam { name phone } } } } }',
      '',
      'A responder\'s question, with the responder token (Dana has consented to Metro Crisis Team):',
      '  query { responderLookup(input: {givenName: "Dana", familyName: "Rivera", dateOfBirth: "1990-04-12", incidentNumber: "INC-1", purpose: CRISIS_RESPONSE}) { outcome records { programName careTeam { name phone } engagementNotes } redisclosureNotice } }',
      '',
      'or with curl:',
      `  TOKEN=$(npm run -s token -- --role provider_staff --org riverside-recovery --sub pat)`,
      `  curl -s ${base}/graphql -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\`,
      `    -d '{"query":"{ patients(first: 10) { nodes { id givenName familyName } } }"}'`,
    );
  }
  return lines.join('\n') + '\n\n';
}

async function main(): Promise<void> {
  const built = await buildApp(process.env);
  const { app, config } = built;
  let seeded = false;
  if (config.seedDemoData) seeded = await app.get(DemoDataSeeder).seedIfEmpty();
  await app.listen(config.env.PORT, config.env.HOST);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.env.PORT;
  if (!config.isProduction) process.stdout.write(banner(port, seeded, config.usesDevIssuer, config.env.PUBLIC_URL ? config.publicUrl : `http://localhost:${port}`));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: finishing requests in flight, then stopping\n`);
    built.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  // Configuration problems name the variable; anything else is reported without input values.
  const message = error instanceof ConfigurationError ? error.message : `failed to start: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
