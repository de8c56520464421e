import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { TokenVerifier } from './token-verifier.js';

describe('TokenVerifier', () => {
  it('remembers a verified token but still refuses it once it has expired', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
    const verifier = new TokenVerifier({ issuer: 'i', audience: 'a', jwks: { keys: [jwk] }, clockToleranceSeconds: 0 });
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ org: 'o', roles: ['admin'] })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer('i')
      .setAudience('a')
      .setSubject('s')
      .setExpirationTime(now + 2)
      .sign(privateKey);
    expect((await verifier.verify(token)).sub).toBe('s');
    expect((await verifier.verify(token)).sub).toBe('s');
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await expect(verifier.verify(token)).rejects.toThrow(/expired/);
  });
});
