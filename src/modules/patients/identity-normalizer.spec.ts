import fc from 'fast-check';
import { matchKeyInput, matchKeyInputs, normalizeName } from './identity-normalizer.js';

describe('normalizeName', () => {
  it.each([
    ['Dana', 'dana'],
    ['  DANA  ', 'dana'],
    ['Núñez', 'nunez'],
    ["O'Brien", 'obrien'],
    ['O’Brien', 'obrien'],
    ['Mary-Jane', 'maryjane'],
    ['Mary Jane', 'maryjane'],
    ['van der Berg', 'vanderberg'],
    ['Zoë', 'zoe'],
    ['Ægir', 'aegir'],
    ['Strauß', 'strauss'],
    ['Øyvind', 'oyvind'],
    ['Łukasz', 'lukasz'],
    ['Ｄａｎａ', 'dana'],
    ['François', 'francois'],
    ['José-María', 'josemaria'],
  ])('folds %s to %s', (input, expected) => {
    expect(normalizeName(input)).toBe(expected);
  });

  it('keeps letters of other scripts', () => {
    expect(normalizeName('Иван')).toBe('иван');
  });

  it('is idempotent', () => {
    fc.assert(fc.property(fc.string(), (s) => normalizeName(normalizeName(s)) === normalizeName(s)));
  });

  it('ignores case, surrounding spaces, hyphens and apostrophes', () => {
    const word = fc.stringMatching(/^[A-Za-z]{1,12}$/);
    fc.assert(
      fc.property(word, word, fc.constantFrom(' ', '-', "'", '  '), (a, b, sep) => {
        return normalizeName(` ${a.toUpperCase()}${sep}${b} `) === normalizeName(`${a}${b}`.toLowerCase());
      }),
    );
  });
});

describe('match keys', () => {
  it('differ by date of birth and family name', () => {
    expect(matchKeyInput('Rivera', '1990-01-02', 'Dana')).not.toBe(matchKeyInput('Rivera', '1990-01-03', 'Dana'));
    expect(matchKeyInput('Rivera', '1990-01-02', 'Dana')).not.toBe(matchKeyInput('Rivers', '1990-01-02', 'Dana'));
  });

  it('cover the given name and every alias, once each', () => {
    const inputs = matchKeyInputs({ givenName: 'Dana', familyName: 'Rivera', dateOfBirth: '1990-01-02', aliases: ['Danny', 'DANA', 'Dee'] });
    expect(inputs).toEqual(['rivera|1990-01-02|dana', 'rivera|1990-01-02|danny', 'rivera|1990-01-02|dee']);
  });
});
