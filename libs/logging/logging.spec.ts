import pino from 'pino';
import { Writable } from 'node:stream';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientRequestIdOf, generateRequestId, redactionPaths } from './logging.module.js';

describe('log redaction (C3)', () => {
  it('removes names, dates of birth, phones, notes and tokens wherever they are logged', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino({ redact: { paths: redactionPaths(), censor: '[redacted]' } }, sink);
    logger.info({
      givenName: 'Dana',
      input: { familyName: 'Rivera', dateOfBirth: '1990-04-12', careTeam: [{ phone: '+1 555 0100' }] },
      deeper: { variables: { input: { givenName: 'Dana' } } },
      x: { y: { engagementNotes: 'calm approach' } },
      req: { headers: { authorization: 'Bearer eyJ.secret' } },
      kept: 'incident-42',
    });
    const line = lines.join('');
    for (const secret of ['Dana', 'Rivera', '1990-04-12', '555 0100', 'calm approach', 'eyJ.secret']) expect(line).not.toContain(secret);
    expect(line).toContain('incident-42');
  });
});

describe('request ids (C16)', () => {
  it('are the server own UUIDs, whatever X-Request-Id the caller sends, and are sent back', () => {
    const headers: Record<string, string> = {};
    const res = { setHeader: (name: string, value: string) => (headers[name] = value) } as unknown as ServerResponse;
    const req = { headers: { 'x-request-id': 'shared-request-id' } } as unknown as IncomingMessage;
    const first = generateRequestId(req, res);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers['X-Request-Id']).toBe(first);
    expect(generateRequestId(req, res)).not.toBe(first);
  });

  it('keep the caller X-Request-Id apart, for the log only, when it is a UUID or a trace id (C3)', () => {
    expect(clientRequestIdOf({ 'x-request-id': '0F8FAD5B-D9CB-469F-A165-70867728950E' })).toBe('0f8fad5b-d9cb-469f-a165-70867728950e');
    expect(clientRequestIdOf({ 'x-request-id': '4bf92f3577b34da6a3ce929d0e0e4736' })).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    for (const refused of ['Dana.Rivera', '1990-04-12', '+15550100', 'a'.repeat(32 + 1), '', '<script>']) expect(clientRequestIdOf({ 'x-request-id': refused })).toBeUndefined();
    expect(clientRequestIdOf({ 'x-request-id': ['a', 'b'] })).toBeUndefined();
    expect(clientRequestIdOf(undefined)).toBeUndefined();
  });
});
