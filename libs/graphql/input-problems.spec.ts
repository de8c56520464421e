import { earliestBirthDate } from './validators.js';
import { ruleOfConstraint, tidyProblems } from './input-problems.js';

describe('ruleOfConstraint', () => {
  it.each([
    ['isLength', 'x'.repeat(101), [1, 100], { rule: 'TOO_LONG', limit: 100 }],
    ['isLength', 'ab', [3, 200], { rule: 'TOO_SHORT', limit: 3 }],
    ['isLength', '', [1, 100], { rule: 'REQUIRED', limit: null }],
    ['isLength', 7, [1, 100], { rule: 'INVALID_FORMAT', limit: null }],
    ['isLength', ['ok', 'x'.repeat(101)], [1, 100], { rule: 'TOO_LONG', limit: 100 }],
    ['isNotBlank', '   ', [], { rule: 'REQUIRED', limit: null }],
    ['arrayMinSize', [], [1], { rule: 'REQUIRED', limit: null }],
    ['arrayMaxSize', [1, 2, 3], [2], { rule: 'TOO_MANY', limit: 2 }],
    ['isIn', 'CURIOSITY', [['A']], { rule: 'NOT_ALLOWED_VALUE', limit: null }],
    ['equals', false, [true], { rule: 'NOT_ALLOWED_VALUE', limit: null }],
    ['isBirthDate', '1990-02-30', [], { rule: 'INVALID_DATE', limit: null }],
    ['isBirthDate', '2999-01-01', [], { rule: 'MUST_NOT_BE_IN_FUTURE', limit: null }],
    ['isBirthDate', '1800-01-01', [], { rule: 'MUST_BE_AFTER', limit: earliestBirthDate() }],
    ['isCalendarDate', '2999-01-01', [], { rule: 'MUST_NOT_BE_IN_FUTURE', limit: null }],
    ['matches', 'call me', [], { rule: 'INVALID_FORMAT', limit: null }],
    ['isString', undefined, [], { rule: 'REQUIRED', limit: null }],
  ])('%s of %j is %j', (name, value, args, expected) => {
    expect(ruleOfConstraint(name, value, args)).toEqual(expected);
  });

  it('lets a constraint name its rule through its context', () => {
    expect(ruleOfConstraint('matches', 'x', [], { rule: 'MUST_BE_IN_FUTURE' })).toEqual({ rule: 'MUST_BE_IN_FUTURE', limit: null });
  });
});

describe('tidyProblems', () => {
  it('keeps one problem per field and rule, and only REQUIRED for a missing field', () => {
    expect(
      tidyProblems([
        { field: 'a', rule: 'TOO_SHORT', limit: 1 },
        { field: 'a', rule: 'REQUIRED', limit: null },
        { field: 'b', rule: 'INVALID_FORMAT', limit: null },
        { field: 'b', rule: 'INVALID_FORMAT', limit: null },
      ]),
    ).toEqual([
      { field: 'a', rule: 'REQUIRED', limit: null },
      { field: 'b', rule: 'INVALID_FORMAT', limit: null },
    ]);
  });
});
