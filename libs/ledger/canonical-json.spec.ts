import fc from 'fast-check';
import { canonicalJson } from './canonical-json.js';
import { eventHash, GENESIS_HEAD, nextHead, packDigests, unpackDigests } from './audit-chain.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: 'é' }], c: true } })).toBe('{"a":{"c":true,"d":[3,{"y":"é","z":null}]},"b":1}');
  });

  it('is independent of key order and parses back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        return true;
      }),
    );
  });

  it('refuses values JSON cannot hold', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow();
    expect(() => canonicalJson(() => 1)).toThrow();
  });
});

describe('the chain', () => {
  it('depends on every field and on the order of events', () => {
    const event = {
      sequence: '1', id: 'a', occurredAt: '2026-11-23T00:00:00.000001Z', action: 'x', outcome: 'SUCCESS', actorSub: 's', actorOrg: 'o',
      actorRoles: ['admin'], actorName: null, patientIds: [], subjectOrgKeys: [], incidentNumber: null, purpose: null, basis: null,
      consentIds: [], disclosedCategories: [], policyVersion: 1, policyRule: null, requestId: null, details: {},
    };
    const h1 = eventHash(event);
    expect(eventHash({ ...event, outcome: 'DENIED' })).not.toBe(h1);
    expect(eventHash({ ...event, details: { a: 1 } })).not.toBe(h1);
    const h2 = eventHash({ ...event, sequence: '2' });
    expect(nextHead(nextHead(GENESIS_HEAD, h1), h2)).not.toBe(nextHead(nextHead(GENESIS_HEAD, h2), h1));
    expect(unpackDigests(packDigests([h1, h2]))).toEqual([h1.slice(0, 16), h2.slice(0, 16)]);
  });
});
