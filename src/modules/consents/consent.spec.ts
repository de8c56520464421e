// C5, C6: one pure function decides whether a consent grants (recipient, purpose, category) at an
// instant. It is checked here against a small reference model written another way: a replay of
// the consent's life as a timeline of events.
import fc from 'fast-check';
import {
  CONSENT_PURPOSES,
  type ConsentFacts,
  consentGrants,
  consentStatusAt,
  DATA_CATEGORIES,
  type ConsentPurpose,
  type DataCategory,
} from './consent.js';

const ORGS = ['org-a', 'org-b', 'org-c', 'org-d'];
const T0 = Date.UTC(2026, 0, 1);
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

/** The reference: walk the events up to `t` in time order and keep a set of permitted recipients. */
function referenceGrants(facts: ConsentFacts, recipient: string, purpose: ConsentPurpose, category: DataCategory, t: Date): boolean {
  type Event = { time: number; apply: (state: { permitted: Set<string>; open: boolean }) => void };
  const events: Event[] = [
    { time: facts.effectiveFrom.getTime(), apply: (s) => (s.open = true) },
    { time: facts.expiresAt.getTime(), apply: (s) => (s.open = false) },
    ...facts.revocations.map((r) => ({
      time: r.recordedAt.getTime(),
      apply: (s: { permitted: Set<string> }) => (r.whole ? s.permitted.clear() : r.recipientOrganizationIds.forEach((id) => s.permitted.delete(id))),
    })),
  ];
  if (facts.supersededAt) events.push({ time: facts.supersededAt.getTime(), apply: (s) => s.permitted.clear() });
  const state = { permitted: new Set(facts.recipientOrganizationIds), open: false };
  // Expiry at the same instant as the start wins: a consent is open on [effectiveFrom, expiresAt).
  events.sort((a, b) => a.time - b.time);
  for (const event of events) if (event.time <= t.getTime()) event.apply(state);
  const acks = facts.acknowledgements;
  const complete = acks.rightToRevoke && acks.treatmentNotConditioned && acks.redisclosureRestricted && facts.dataCategories.length > 0;
  return complete && state.open && facts.purpose === purpose && facts.dataCategories.includes(category) && state.permitted.has(recipient);
}

const factsArbitrary: fc.Arbitrary<ConsentFacts> = fc
  .record({
    start: fc.integer({ min: 0, max: 100 }),
    length: fc.integer({ min: 1, max: 100 }),
    purpose: fc.constantFrom(...CONSENT_PURPOSES),
    categories: fc.uniqueArray(fc.constantFrom(...DATA_CATEGORIES), { minLength: 1, maxLength: 3 }),
    recipients: fc.uniqueArray(fc.constantFrom(...ORGS), { minLength: 1, maxLength: 4 }),
    revocations: fc.array(
      fc.record({ minute: fc.integer({ min: 0, max: 250 }), whole: fc.boolean(), pick: fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }) }),
      { maxLength: 3 },
    ),
    supersededAt: fc.option(fc.integer({ min: 0, max: 250 }), { nil: null }),
    acks: fc.oneof({ weight: 9, arbitrary: fc.constant([true, true, true]) }, { weight: 1, arbitrary: fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()) }),
  })
  .map((r) => ({
    purpose: r.purpose,
    dataCategories: r.categories,
    effectiveFrom: at(r.start),
    expiresAt: at(r.start + r.length),
    recipientOrganizationIds: r.recipients,
    revocations: r.revocations.map((v, i) => ({
      id: `rev-${i}`,
      whole: v.whole,
      recipientOrganizationIds: v.whole ? [] : v.pick.map((p) => r.recipients[p % r.recipients.length]),
      method: 'WRITTEN' as const,
      receivedAt: at(v.minute),
      recordedAt: at(v.minute),
      recordedBy: 'test',
    })),
    supersededAt: r.supersededAt === null ? null : at(r.supersededAt),
    acknowledgements: { rightToRevoke: r.acks[0], treatmentNotConditioned: r.acks[1], redisclosureRestricted: r.acks[2] },
  }));

describe('consentGrants (C5, C6)', () => {
  it('agrees with the reference model for random consents, revocations and instants', () => {
    fc.assert(
      fc.property(
        factsArbitrary,
        fc.constantFrom(...ORGS),
        fc.constantFrom(...CONSENT_PURPOSES),
        fc.constantFrom(...DATA_CATEGORIES),
        fc.integer({ min: -10, max: 300 }),
        (facts, recipient, purpose, category, minute) => {
          const request = { recipientOrganizationId: recipient, purpose, category };
          expect(consentGrants(facts, request, at(minute))).toBe(referenceGrants(facts, recipient, purpose, category, at(minute)));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('never grants outside [effectiveFrom, expiresAt)', () => {
    fc.assert(
      fc.property(factsArbitrary, fc.constantFrom(...ORGS), fc.constantFrom(...CONSENT_PURPOSES), fc.constantFrom(...DATA_CATEGORIES), (facts, r, p, c) => {
        const request = { recipientOrganizationId: r, purpose: p, category: c };
        expect(consentGrants(facts, request, new Date(facts.effectiveFrom.getTime() - 1))).toBe(false);
        expect(consentGrants(facts, request, facts.expiresAt)).toBe(false);
      }),
    );
  });

  it('never grants once wholly revoked or superseded, whatever comes later', () => {
    fc.assert(
      fc.property(factsArbitrary, fc.integer({ min: 0, max: 300 }), (facts, minute) => {
        const wholeRevocation = facts.revocations.find((r) => r.whole);
        const end = Math.min(wholeRevocation?.recordedAt.getTime() ?? Infinity, facts.supersededAt?.getTime() ?? Infinity);
        fc.pre(Number.isFinite(end) && at(minute).getTime() >= end);
        for (const recipient of facts.recipientOrganizationIds) {
          for (const category of DATA_CATEGORIES) {
            expect(consentGrants(facts, { recipientOrganizationId: recipient, purpose: facts.purpose, category }, at(minute))).toBe(false);
          }
        }
      }),
    );
  });
});

describe('consentStatusAt', () => {
  const base: ConsentFacts = {
    purpose: 'CRISIS_RESPONSE',
    dataCategories: ['TREATMENT_STATUS'],
    effectiveFrom: at(10),
    expiresAt: at(100),
    recipientOrganizationIds: ['org-a', 'org-b'],
    revocations: [],
    supersededAt: null,
    acknowledgements: { rightToRevoke: true, treatmentNotConditioned: true, redisclosureRestricted: true },
  };
  const revocation = (minute: number, whole: boolean, ids: string[] = []) => ({
    id: `r${minute}`,
    whole,
    recipientOrganizationIds: ids,
    method: 'WRITTEN' as const,
    receivedAt: at(minute),
    recordedAt: at(minute),
    recordedBy: 't',
  });

  it.each([
    ['NOT_YET_EFFECTIVE', base, 5],
    ['ACTIVE', base, 10],
    ['EXPIRED', base, 100],
    ['PARTIALLY_REVOKED', { ...base, revocations: [revocation(20, false, ['org-a'])] }, 30],
    ['ACTIVE', { ...base, revocations: [revocation(20, false, ['org-a'])] }, 19],
    ['REVOKED', { ...base, revocations: [revocation(20, false, ['org-a']), revocation(25, false, ['org-b'])] }, 30],
    ['REVOKED', { ...base, revocations: [revocation(20, true)] }, 150],
    ['SUPERSEDED', { ...base, supersededAt: at(50), revocations: [revocation(20, true)] }, 60],
  ] as Array<[string, ConsentFacts, number]>)("is %s", (status, facts, minute) => {
    expect(consentStatusAt(facts, at(minute))).toBe(status);
  });
});
