// Any standard identity provider: AUTH_ISSUER alone finds the keys (OpenID Connect Discovery),
// and the claim mapping reads each vendor's documented token shape (docs/operations.md cites
// them). Multi-factor (HIPAA 164.312(d)): a role that needs it is refused without it, with the
// RFC 9470 challenge, and the refusal is audited under the verified identity.
import { randomUUID } from 'node:crypto';
import { sql } from './support/database.js';
import { TestApp, type TestOrganization } from './support/test-app.js';
import { VendorIdentityProvider } from './support/vendor-identity-provider.js';

const ME = '{ me { sub name roles organization { key } multiFactor } }';
const STEP_UP = /^Bearer error="insufficient_user_authentication", error_description="multi-factor authentication required"/;

async function auditedRefusals(sub: string): Promise<Array<{ action: string; outcome: string; details: Record<string, unknown> }>> {
  return sql(`SELECT action, outcome, details FROM audit_event WHERE actor_sub = $1 AND outcome = 'DENIED' ORDER BY sequence`, [sub]);
}

describe('Microsoft Entra ID (v2.0 access token, app roles, authentication context)', () => {
  const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
  const apiClientId = '6e74172b-be56-4843-9ff4-e66a39bb12e3';
  const orgClaim = `extension_${apiClientId.replace(/-/g, '')}_crisisLinkOrg`;
  let idp: VendorIdentityProvider;
  let t: TestApp;
  let agency: TestOrganization;

  beforeAll(async () => {
    idp = await VendorIdentityProvider.start(`/${tenant}/v2.0`);
    t = await TestApp.start({
      AUTH_ISSUER: idp.issuer,
      AUTH_AUDIENCE: apiClientId,
      AUTH_JWKS_URL: undefined,
      AUTH_ROLES_CLAIM: 'roles',
      AUTH_ORG_CLAIM: orgClaim,
      AUTH_NAME_CLAIM: 'name',
      AUTH_ROLE_MAP: JSON.stringify({ 'CrisisLink.Responder': 'responder', 'CrisisLink.ClinicalResponder': 'clinical_responder' }),
      AUTH_MFA_ROLES: 'all',
      AUTH_MFA_ACR_VALUES: 'c1',
    });
    agency = await t.organization('RESPONDER_AGENCY');
  });
  afterAll(async () => {
    await t.close();
    await idp.stop();
  });

  // Claims as Microsoft's "access token claims reference" lists them for a v2.0 token.
  const entraToken = (oid: string, extra: Record<string, unknown> = {}) =>
    idp.sign({
      aud: apiClientId,
      ver: '2.0',
      tid: tenant,
      oid,
      sub: `pairwise-${oid}`,
      azp: 'a0f3c1e2-0000-4000-8000-00000000web1',
      azpacr: '0',
      scp: 'access_as_user',
      name: 'Riley Medic',
      preferred_username: 'riley@metro.example',
      roles: ['CrisisLink.ClinicalResponder'],
      [orgClaim]: agency.key,
      uti: randomUUID(),
      rh: '0.opaque',
      ...extra,
    });

  it('finds the keys through discovery and maps app roles, the extension claim and the name', async () => {
    // The v2.0 access token carries no `amr`: the accepted authentication context in `acrs` is
    // the multi-factor, and `me` says so.
    const answer = await t.graphql(await entraToken('o1', { acrs: ['c1'] }), ME);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.me).toEqual({ sub: 'pairwise-o1', name: 'Riley Medic', roles: ['clinical_responder'], organization: { key: agency.key }, multiFactor: true });
    expect(idp.discoveryRequests).toBe(1);
  });

  it('refuses a token without the multi-factor authentication context, tells the client to step up, and audits it', async () => {
    const answer = await t.graphql(await entraToken('o2'), ME);
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toMatch(STEP_UP);
    expect(answer.headers['www-authenticate']).toContain('acr_values="c1"');
    expect(answer.errors?.[0]).toMatchObject({ message: 'Authentication is required', extensions: { code: 'UNAUTHENTICATED' } });
    expect(await auditedRefusals('pairwise-o2')).toEqual([
      { action: 'authenticate', outcome: 'DENIED', details: expect.objectContaining({ reason: 'MFA_REQUIRED', roles: ['clinical_responder'] }) },
    ]);
  });
});

describe('Okta (custom authorization server, groups claim)', () => {
  let idp: VendorIdentityProvider;
  let t: TestApp;
  let agency: TestOrganization;

  beforeAll(async () => {
    idp = await VendorIdentityProvider.start('/oauth2/default');
    t = await TestApp.start({
      AUTH_ISSUER: idp.issuer,
      AUTH_AUDIENCE: 'api://default',
      AUTH_JWKS_URL: undefined,
      AUTH_ROLES_CLAIM: 'groups',
      AUTH_ORG_CLAIM: 'crisisLinkOrg',
      AUTH_NAME_CLAIM: 'displayName',
      AUTH_ROLE_MAP: JSON.stringify({ 'Crisis Link Responders': 'responder', 'Crisis Link Compliance': 'compliance_officer' }),
    });
    agency = await t.organization('RESPONDER_AGENCY');
  });
  afterAll(async () => {
    await t.close();
    await idp.stop();
  });

  // Okta's access token claims (ver, jti, iss, aud, iat, exp, cid, uid, scp, auth_time, sub) plus
  // the custom claims an administrator adds to the authorization server: groups (a Groups
  // filter), the organisation and the display name (expressions).
  const oktaToken = (groups: string[]) =>
    idp.sign({
      ver: 1,
      jti: `AT.${randomUUID()}`,
      aud: 'api://default',
      cid: '0oa1crisislinkweb',
      uid: '00u1jordan',
      scp: ['openid', 'profile'],
      auth_time: Math.floor(Date.now() / 1000) - 60,
      sub: 'jordan@metro.example',
      groups,
      crisisLinkOrg: agency.key,
      displayName: 'Jordan Peer',
    });

  it('maps the groups it knows and ignores the others', async () => {
    const answer = await t.graphql(await oktaToken(['Everyone', 'Crisis Link Responders', 'Payroll']), ME);
    expect(answer.errors).toBeUndefined();
    // No role needs multi-factor here, and the token says of none: `me` does not claim one.
    expect(answer.data!.me).toEqual({ sub: 'jordan@metro.example', name: 'Jordan Peer', roles: ['responder'], organization: { key: agency.key }, multiFactor: false });
  });

  it('refuses a person none of whose groups is mapped, as one invalid token', async () => {
    const answer = await t.graphql(await oktaToken(['Everyone']), ME);
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  });
});

describe('Keycloak (realm roles, AMR mapper)', () => {
  let idp: VendorIdentityProvider;
  let t: TestApp;
  let provider: TestOrganization;

  beforeAll(async () => {
    idp = await VendorIdentityProvider.start('/realms/crisis');
    t = await TestApp.start({
      AUTH_ISSUER: idp.issuer,
      AUTH_AUDIENCE: 'crisis-link-api',
      AUTH_JWKS_URL: undefined,
      AUTH_ROLES_CLAIM: 'realm_access.roles',
      AUTH_ORG_CLAIM: 'org',
      AUTH_NAME_CLAIM: 'name',
      AUTH_MFA_ROLES: 'provider_staff',
      // A step-up level named in the realm's "ACR to LoA mapping".
      AUTH_MFA_ACR_VALUES: 'gold',
    });
    provider = await t.organization('TREATMENT_PROVIDER');
  });
  afterAll(async () => {
    await t.close();
    await idp.stop();
  });

  // Keycloak's access token: realm roles under realm_access.roles (beside Keycloak's own
  // default roles), client roles under resource_access, `amr` from the AMR protocol mapper.
  const keycloakToken = (sub: string, amr: string[], acr = '1') =>
    idp.sign({
      jti: randomUUID(),
      aud: ['crisis-link-api', 'account'],
      sub,
      typ: 'Bearer',
      azp: 'crisis-link-web',
      sid: randomUUID(),
      acr,
      amr,
      'allowed-origins': ['https://crisis-link.example.org'],
      realm_access: { roles: ['provider_staff'] },
      resource_access: { account: { roles: ['manage-account', 'view-profile'] } },
      scope: 'openid profile',
      name: 'Pat Intake',
      preferred_username: 'pat',
      org: provider.key,
    });

  it('reads roles from a nested claim path; a one-time password counts as multi-factor', async () => {
    const sub = `kc-${randomUUID()}`;
    const answer = await t.graphql(await keycloakToken(sub, ['pwd', 'otp']), ME);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.me).toEqual({ sub, name: 'Pat Intake', roles: ['provider_staff'], organization: { key: provider.key }, multiFactor: true });
  });

  it('counts an accepted `acr` as multi-factor without any `amr` of one, and `me` says so', async () => {
    const sub = `kc-${randomUUID()}`;
    const answer = await t.graphql(await keycloakToken(sub, ['pwd'], 'gold'), ME);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.me).toEqual({ sub, name: 'Pat Intake', roles: ['provider_staff'], organization: { key: provider.key }, multiFactor: true });
  });

  it('refuses a password alone for a role that needs multi-factor, and audits the refusal', async () => {
    const sub = `kc-${randomUUID()}`;
    const answer = await t.graphql(await keycloakToken(sub, ['pwd']), ME);
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toMatch(STEP_UP);
    const [refusal] = await auditedRefusals(sub);
    expect(refusal).toMatchObject({ action: 'authenticate', outcome: 'DENIED', details: { reason: 'MFA_REQUIRED', roles: ['provider_staff'], amr: ['pwd'] } });
  });
});

describe('discovery that names another issuer', () => {
  it('is not trusted: the token is refused', async () => {
    const idp = await VendorIdentityProvider.start('/realms/lookalike', { discoveryIssuer: () => 'https://someone-else.example/realms/lookalike' });
    const t = await TestApp.start({ AUTH_ISSUER: idp.issuer, AUTH_AUDIENCE: 'crisis-link-api', AUTH_JWKS_URL: undefined });
    try {
      const agency = await t.organization('RESPONDER_AGENCY');
      const token = await idp.sign({ sub: 'x', aud: 'crisis-link-api', org: agency.key, roles: ['responder'], name: 'X' });
      const answer = await t.graphql(token, ME);
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    } finally {
      await t.close();
      await idp.stop();
    }
  });
});
