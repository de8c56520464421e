/** A patient as the rules see it: decrypted, with its owning organisation's key. */
export interface Patient {
  id: string;
  organizationId: string;
  organizationKey: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  aliases: string[];
  createdAt: Date;
  /** Keyset position in registration order (microsecond time, id). */
  sortKey: [string, string];
}

export interface NewPatient {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  aliases: string[];
  /** Registers (or corrects) even when the provider has a patient who may be the same person. */
  confirmDistinctPerson?: boolean;
}
