/**
 * The person's fields of a lookup, handed to the referral form when the responder presses `Refer`
 * on the answer. Held in memory only, taken once: never in the address, storage or history (C3, C12).
 */
export interface ReferralDraft {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  incidentNumber: string;
}

let draft: ReferralDraft | undefined;

export function keepReferralDraft(value: ReferralDraft): void {
  draft = value;
}

/** The draft, once; the next call gets nothing. */
export function takeReferralDraft(): ReferralDraft | undefined {
  const taken = draft;
  draft = undefined;
  return taken;
}
