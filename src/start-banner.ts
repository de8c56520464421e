import type { AppConfig } from '@libs/config/app-config.js';
import { devTokenCommand } from './cli/dev-token-command.js';
import { DEMO_PRINCIPALS } from './demo/demo-data.js';

/**
 * What `npm start` prints outside production once the service listens: where to open it, how to
 * sign in, and, with the development provider, how to get a token for GraphiQL or curl. Token
 * commands carry the port, address and data folder of this service when they are not the
 * defaults, so they work as printed in another terminal.
 */
export function startBanner(config: AppConfig, port: number): string {
  const devIssuer = config.usesDevIssuer;
  // An unset PUBLIC_URL follows the port actually bound (PORT=0 picks one).
  const publicUrl = config.env.PUBLIC_URL ? config.publicUrl : `http://localhost:${port}`;
  const idleMinutes = Math.round(config.env.WEB_IDLE_TIMEOUT_SECONDS / 60);
  const lines = [
    '',
    `crisis-link is running. Open it in a browser: ${publicUrl}/`,
    devIssuer
      ? `  Sign in there as any demo person, one of each role plus the admins of a provider and an agency (development identity provider at ${publicUrl}/dev-idp, no password).`
      : '  Sign in there with your identity provider.',
    ...(devIssuer ? ['  As Alice Responder, look up Dana Rivera, born 04/12/1990 (incident number: any, e.g. INC-1): her care team is a tap away.'] : []),
    `  You are signed out after ${idleMinutes} minute${idleMinutes === 1 ? '' : 's'} without activity.`,
    '',
    `GraphiQL, to try the API in a browser: ${publicUrl}/graphql`,
    `API (POST only): ${publicUrl}/graphql   health: ${publicUrl}/health/ready`,
  ];
  if (!devIssuer) return lines.join('\n') + '\n\n';
  const tokenFor = (role: string) => {
    const person = DEMO_PRINCIPALS.find((p) => p.role === role)!;
    return devTokenCommand(config, { role: person.role, org: person.org, sub: person.sub, name: person.name });
  };
  lines.push(
    '',
    'For GraphiQL or curl, mint a token for a demo person of each role in another terminal:',
    ...DEMO_PRINCIPALS.map((p) => `  ${devTokenCommand(config, p)}`),
    '',
    'In GraphiQL, enter the token under Headers as  {"Authorization": "Bearer <token>"}, press the re-fetch',
    'button (circular arrows) for the documentation, and run, with the provider_staff token:',
    '  query { patients(first: 10) { nodes { id givenName familyName enrollments { programName careTeam { name phone } } } } }',
  );
  lines.push(
    '',
    "A responder's question, with the responder token (in the demo data, Dana has consented to Metro Crisis Team):",
    '  query { responderLookup(input: {givenName: "Dana", familyName: "Rivera", dateOfBirth: "1990-04-12", incidentNumber: "INC-1", purpose: CRISIS_RESPONSE}) { outcome records { programName careTeam { name phone } engagementNotes } redisclosureNotice } }',
    '',
    'or with curl:',
    `  TOKEN=$(${tokenFor('provider_staff')})`,
    `  curl -s ${publicUrl}/graphql -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\`,
    `    -d '{"query":"{ patients(first: 10) { nodes { id givenName familyName } } }"}'`,
  );
  return lines.join('\n') + '\n\n';
}
