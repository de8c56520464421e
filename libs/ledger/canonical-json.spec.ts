import fc from 'fast-check';
import { canonicalJson } from './canonical-json.js';
import { canonicalEventJson, canonicalStoredEventJson, eventHash, GENESIS_HEAD, nextHead, packDigests, type SealableEvent, storedEventHash, unpackDigests } from './audit-chain.js';
import type { StoredEvent } from './audit.repository.js';

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

describe('canonicalEventJson', () => {
  it('writes exactly the bytes of canonicalJson for any event', () => {
    const text = fc.string({ maxLength: 20 });
    const nullable = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
    const event: fc.Arbitrary<SealableEvent> = fc.record({
      sequence: fc.bigInt({ min: 1n, max: 2n ** 62n }).map(String),
      id: fc.uuid(),
      occurredAt: fc.constant('2026-11-23T19:40:12.345678Z'),
      action: text,
      outcome: text,
      actorSub: text,
      actorOrg: text,
      actorRoles: fc.array(text, { maxLength: 3 }),
      actorName: nullable(text),
      patientIds: fc.array(fc.uuid(), { maxLength: 3 }),
      subjectOrgKeys: fc.array(text, { maxLength: 3 }),
      incidentNumber: nullable(text),
      purpose: nullable(text),
      basis: nullable(text),
      consentIds: fc.array(fc.uuid(), { maxLength: 3 }),
      disclosedCategories: fc.array(text, { maxLength: 3 }),
      policyVersion: nullable(fc.integer({ min: 1, max: 10_000 })),
      policyRule: nullable(text),
      requestId: nullable(text),
      details: fc.dictionary(text, fc.jsonValue({ maxDepth: 2 })),
    });
    fc.assert(fc.property(event, (e) => canonicalEventJson(e) === canonicalJson(e)));
  });
});

describe('canonicalStoredEventJson (the form SEALABLE_EVENTS_SQL reads)', () => {
  it('writes exactly the bytes of canonicalJson of the parsed event, whatever the jsonb text looks like', () => {
    // Strings with every control character, quotes, backslashes, non-ASCII, U+2028 and astral characters.
    const text = fc.string({ maxLength: 12, unit: fc.oneof(fc.constantFrom('"', '\\', '/', '\u007f', '\u2028', 'é', '😀', 'Z', 'a'), fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c))) });
    const nullable = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
    const event: fc.Arbitrary<SealableEvent> = fc.record({
      sequence: fc.bigInt({ min: 1n, max: 2n ** 62n }).map(String),
      id: fc.uuid(),
      occurredAt: fc.constant('2026-11-23T19:40:12.345678Z'),
      action: text,
      outcome: text,
      actorSub: text,
      actorOrg: text,
      actorRoles: fc.array(text, { maxLength: 3 }),
      actorName: nullable(text),
      patientIds: fc.array(fc.uuid(), { maxLength: 3 }),
      subjectOrgKeys: fc.array(text, { maxLength: 3 }),
      incidentNumber: nullable(text),
      purpose: nullable(text),
      basis: nullable(text),
      consentIds: fc.array(fc.uuid(), { maxLength: 3 }),
      disclosedCategories: fc.array(text, { maxLength: 3 }),
      policyVersion: nullable(fc.integer({ min: 1, max: 10_000 })),
      policyRule: nullable(text),
      requestId: nullable(text),
      details: fc.dictionary(text, fc.jsonValue({ maxDepth: 2 })),
    });
    // PostgreSQL's to_json of an array escapes as JSON.stringify does; jsonb prints with spaces.
    const stored = (e: SealableEvent): StoredEvent => ({
      ...e,
      actorRoles: JSON.stringify(e.actorRoles),
      patientIds: JSON.stringify(e.patientIds),
      subjectOrgKeys: JSON.stringify(e.subjectOrgKeys),
      consentIds: JSON.stringify(e.consentIds),
      disclosedCategories: JSON.stringify(e.disclosedCategories),
      policyVersion: e.policyVersion === null ? null : String(e.policyVersion),
      details: JSON.stringify(e.details, null, 1),
    });
    fc.assert(
      fc.property(event, (e) => {
        expect(canonicalStoredEventJson(stored(e))).toBe(canonicalJson(JSON.parse(JSON.stringify(e))));
        expect(storedEventHash(stored(e))).toBe(eventHash(JSON.parse(JSON.stringify(e)) as SealableEvent));
        return true;
      }),
    );
  });

  it('re-writes jsonb numbers as JavaScript writes them', () => {
    const e = { details: '{"a": 1.50, "b": 1000000000000000000000, "c": 100.0, "d": 1E-7}' } as StoredEvent;
    const json = canonicalStoredEventJson({ ...e, sequence: '1', id: 'x', occurredAt: 't', action: 'a', outcome: 'o', actorSub: 's', actorOrg: 'o', actorRoles: '[]', actorName: null, patientIds: '[]', subjectOrgKeys: '[]', incidentNumber: null, purpose: null, basis: null, consentIds: '[]', disclosedCategories: '[]', policyVersion: null, policyRule: null, requestId: null });
    expect(json).toContain('"details":{"a":1.5,"b":1e+21,"c":100,"d":1e-7}');
  });
});
