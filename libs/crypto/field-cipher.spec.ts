import { FieldCipher } from './field-cipher.js';

describe('FieldCipher (C23)', () => {
  const cipher = new FieldCipher(FieldCipher.generateKeyFile());

  it('round-trips text and hides it', () => {
    const sealed = cipher.encrypt('Dana Rivera', 'patient.given_name');
    expect(sealed).not.toContain('Dana');
    expect(cipher.decrypt(sealed, 'patient.given_name')).toBe('Dana Rivera');
  });

  it('never produces the same ciphertext twice', () => {
    expect(cipher.encrypt('x', 'c')).not.toBe(cipher.encrypt('x', 'c'));
  });

  it('refuses a ciphertext moved to another column (associated data)', () => {
    const sealed = cipher.encrypt('1990-04-12', 'patient.date_of_birth');
    expect(() => cipher.decrypt(sealed, 'patient.given_name')).toThrow();
  });

  it('refuses a tampered ciphertext', () => {
    const sealed = cipher.encrypt('Dana', 'c');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3], 'base64url');
    body[0] ^= 1;
    parts[3] = body.toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'), 'c')).toThrow();
  });

  it('gives equal blind indexes for equal inputs only, and a different key gives different ones', () => {
    expect(cipher.blindIndex('rivera|1990-04-12|dana')).toBe(cipher.blindIndex('rivera|1990-04-12|dana'));
    expect(cipher.blindIndex('rivera|1990-04-12|dana')).not.toBe(cipher.blindIndex('rivera|1990-04-12|dan'));
    expect(new FieldCipher(FieldCipher.generateKeyFile()).blindIndex('a')).not.toBe(cipher.blindIndex('a'));
  });

  it('refuses a key of the wrong size', () => {
    expect(() => new FieldCipher({ kid: 'k', key: Buffer.alloc(16).toString('base64') })).toThrow(/32 bytes/);
  });
});
