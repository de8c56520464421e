import { createHmac } from 'node:crypto';
import { notificationBody, retryDelayMs, signatureOf } from './program-notifier.js';

describe('a program notification', () => {
  const notification = { disclosureId: '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b', emergencyAccessId: '0b8a3c55-1d2e-4f60-9a7b-8c9d0e1f2a3b', occurredAt: new Date('2026-11-23T19:40:12.345Z') };

  it('has exactly the body of DESIGN.md: type, the two ids and the time', () => {
    expect(notificationBody(notification)).toBe(
      '{"type":"emergency-disclosure","disclosureId":"6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b","emergencyDisclosureId":"0b8a3c55-1d2e-4f60-9a7b-8c9d0e1f2a3b","occurredAt":"2026-11-23T19:40:12.345Z"}',
    );
  });

  it('is signed sha256=<hex HMAC-SHA256 of the raw body>', () => {
    const body = notificationBody(notification);
    expect(signatureOf(body, 'a-secret-of-sixteen+')).toBe(`sha256=${createHmac('sha256', 'a-secret-of-sixteen+').update(body).digest('hex')}`);
  });

  it('backs off exponentially from the base, at most an hour, with ±20% jitter', () => {
    for (const [attempts, expected] of [[1, 5000], [2, 10_000], [3, 20_000], [12, 3_600_000], [500, 3_600_000]] as const) {
      for (let i = 0; i < 50; i++) {
        const delay = retryDelayMs(attempts, 5000);
        expect(delay).toBeGreaterThanOrEqual(expected * 0.8);
        expect(delay).toBeLessThanOrEqual(expected * 1.2);
      }
    }
  });
});
