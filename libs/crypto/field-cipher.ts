import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** Key material for fields encrypted at rest (C23), as kept in DATA_ENCRYPTION_KEY_FILE. */
export interface DataKeyFile {
  kid: string;
  /** 32 random bytes, base64. */
  key: string;
}

const VERSION = 'v1';

/**
 * AES-256-GCM for identifying fields and any free text that can hold PHI (names, dates of birth,
 * aliases, care-team contacts, engagement notes, program names, consent expiry events, the nature
 * of an emergency) and HMAC-SHA-256 blind indexes for exact matching on their normalised forms,
 * so a database dump alone reveals no identity. Both keys are derived (HKDF) from one master key
 * that lives outside the database.
 */
export class FieldCipher {
  private readonly encryptionKey: Buffer;
  private readonly indexKey: Buffer;
  private readonly auditKey: Buffer;

  constructor(private readonly file: DataKeyFile) {
    const master = Buffer.from(file.key, 'base64');
    if (master.length !== 32) throw new Error('DATA_ENCRYPTION_KEY_FILE: key must be 32 bytes (base64)');
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(file.kid)) throw new Error('DATA_ENCRYPTION_KEY_FILE: kid must be 1-64 of [A-Za-z0-9_-]');
    this.encryptionKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'field-encryption', 32));
    this.indexKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'blind-index', 32));
    this.auditKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'audit-subject', 32));
  }

  static generateKeyFile(): DataKeyFile {
    return { kid: `dek-${randomBytes(4).toString('hex')}`, key: randomBytes(32).toString('base64') };
  }

  /** `v1.<kid>.<iv>.<ciphertext+tag>`; `context` (for example the column) is bound as associated data. */
  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return [VERSION, this.file.kid, iv.toString('base64url'), body.toString('base64url')].join('.');
  }

  decrypt(sealed: string, context: string): string {
    const [version, kid, iv, body] = sealed.split('.');
    if (version !== VERSION || kid !== this.file.kid || !iv || !body) throw new Error('encrypted field has an unknown format or key');
    const data = Buffer.from(body, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(data.subarray(data.length - 16));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
  }

  encryptJson(value: unknown, context: string): string {
    return this.encrypt(JSON.stringify(value), context);
  }

  decryptJson<T>(sealed: string, context: string): T {
    return JSON.parse(this.decrypt(sealed, context)) as T;
  }

  /** Keyed hash for exact-match lookups; equal inputs give equal indexes, nothing else is learnt. */
  blindIndex(value: string): string {
    return createHmac('sha256', this.indexKey).update(value, 'utf8').digest('base64url');
  }

  /**
   * A keyed hash of a searched identity for the audit log: lets an investigator holding the key
   * ask "was this person looked up?" without the log holding the identity, and, being keyed
   * apart from blindIndex, it cannot be joined to the patient table.
   */
  auditSubject(value: string): string {
    return createHmac('sha256', this.auditKey).update(value, 'utf8').digest('base64url');
  }
}
