import 'reflect-metadata';
import fc from 'fast-check';
import { createValidationPipe, surelyValid } from '@libs/graphql/validation.js';
import { LookupInput } from './lookup.input.js';

// The lookup's sure check (issue 16) may only skip class-validator where class-validator finds
// nothing wrong; the pipe then returns what class-validator's path would have returned.
describe('LookupInput sure check', () => {
  const pipe = createValidationPipe();
  const metadata = { type: 'body', metatype: LookupInput } as const;
  const text = fc.oneof(fc.string({ maxLength: 120 }), fc.string({ unit: 'grapheme', maxLength: 110 }), fc.constantFrom('', ' ', '\uFE0F', 'Dana', 'a'.repeat(100), 'a'.repeat(101), '😀'.repeat(60)));
  const date = fc.oneof(
    fc.date({ min: new Date('1880-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
    fc.constantFrom('2025-02-30', '1990-1-1', '', new Date().toISOString().slice(0, 10)),
  );
  const input = fc.record({
    givenName: fc.oneof(text, fc.constant(42 as unknown as string)),
    familyName: text,
    dateOfBirth: date,
    incidentNumber: fc.oneof(fc.stringMatching(/^[A-Za-z0-9-]{0,42}$/), fc.constantFrom('INC-1', 'x y', '')),
    purpose: fc.constantFrom('CRISIS_RESPONSE', 'CARE_COORDINATION', 'TREATMENT', ''),
  });

  it('says valid only where class-validator finds no problem, and gives the same instance', async () => {
    await fc.assert(
      fc.asyncProperty(input, async (value) => {
        const sure = surelyValid(LookupInput, { ...value });
        const slow = await createValidationPipe()
          .transform({ ...value }, metadata)
          .then((result) => ({ ok: true as const, result }), () => ({ ok: false as const }));
        if (sure) {
          expect(slow.ok).toBe(true);
          expect(sure).toBeInstanceOf(LookupInput);
          expect({ ...sure }).toEqual({ ...(slow as { result: object }).result });
        }
        // A valid everyday input takes the fast path.
        if (slow.ok && /^[A-Za-z]{1,20}$/.test(value.givenName) && /^[A-Za-z]{1,20}$/.test(value.familyName)) expect(sure).toBeDefined();
      }),
      { numRuns: 3000 },
    );
  });

  it('is not sure of an input with a field it does not know, so class-validator refuses it', async () => {
    const value = { givenName: 'Dana', familyName: 'Rivera', dateOfBirth: '1990-01-01', incidentNumber: 'INC-1', purpose: 'CRISIS_RESPONSE', extra: 1 };
    expect(surelyValid(LookupInput, value)).toBeUndefined();
    await expect(pipe.transform(value, metadata)).rejects.toThrow();
  });
});
