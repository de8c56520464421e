import pino from 'pino';
import { Writable } from 'node:stream';
import { redactionPaths } from './logging.module.js';

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
