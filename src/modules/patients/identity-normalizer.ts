/**
 * Folds a name for matching: case, accents, spaces, hyphens, apostrophes and other punctuation
 * do not count ("O'Brien-Núñez" = "obrien nunez" = "OBRIENNUNEZ"). Letters that Unicode does
 * not decompose (ß, æ, ø, ł, ...) are spelled out the way registration clerks usually type them.
 */
const SPELLED_OUT: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

export function normalizeName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (letter) => SPELLED_OUT[letter] ?? letter)
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** The string a blind index is computed over: family name, date of birth, given name (or alias). */
export function matchKeyInput(familyName: string, dateOfBirth: string, givenName: string): string {
  return `${normalizeName(familyName)}|${dateOfBirth}|${normalizeName(givenName)}`;
}

/** Every distinct match-key input of a person: the given name and each alias. */
export function matchKeyInputs(person: { givenName: string; familyName: string; dateOfBirth: string; aliases: string[] }): string[] {
  const inputs = [person.givenName, ...person.aliases].map((given) => matchKeyInput(person.familyName, person.dateOfBirth, given));
  return [...new Set(inputs)];
}
