import type { ConsentPurpose, DataCategory, SignerRelationship } from './consent.js';

/** Plain words for each part of a consent (§2.31(a)(3): "specific and meaningful"; §2.32(b)). */
const PURPOSE_WORDS: Record<ConsentPurpose, string> = {
  CRISIS_RESPONSE: 'crisis response',
  CARE_COORDINATION: 'care coordination',
};

const RELATIONSHIP_WORDS: Record<SignerRelationship, string> = {
  SELF: 'the patient',
  PARENT: 'a parent',
  GUARDIAN: 'a legal guardian',
  HEALTH_CARE_PROXY: 'a health care proxy',
  PERSONAL_REPRESENTATIVE: 'a personal representative',
};

export function purposeInWords(purpose: ConsentPurpose): string {
  return PURPOSE_WORDS[purpose];
}

export function relationshipInWords(relationship: SignerRelationship): string {
  return RELATIONSHIP_WORDS[relationship];
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** "whether Dana is in treatment at Riverside Recovery, how to reach the care team and ..." */
export function informationInWords(givenName: string, program: string, categories: DataCategory[]): string {
  const parts: string[] = [];
  if (categories.includes('TREATMENT_STATUS')) parts.push(`whether ${givenName} is in treatment at ${program}`);
  if (categories.includes('CARE_TEAM_CONTACT')) {
    parts.push(categories.includes('TREATMENT_STATUS') ? 'how to reach the care team' : `how to reach ${givenName}'s care team at ${program}`);
  }
  if (categories.includes('ENGAGEMENT_NOTES')) parts.push(`${program}'s guidance for responders on how best to approach ${givenName}`);
  if (categories.includes('REFERRAL_OUTCOME')) {
    parts.push(`what became of a referral of ${givenName} to ${program} made by the recipient: whether it was accepted, and whether ${givenName} was contacted, engaged in care, declined, could not be reached or was not eligible`);
  }
  return list(parts);
}

export interface ScopeParts {
  givenName: string;
  program: string;
  categories: DataCategory[];
  purpose: ConsentPurpose;
  recipients: string[];
  expiresOn: string;
  expirationEvent: string | null;
}

/**
 * The clear explanation of scope that travels with each disclosure (§2.32(b)), for example
 * "Whether Dana is in treatment at Riverside Recovery and how to reach the care team, for crisis
 * response by Metro Crisis Team, until 2027-05-01".
 */
export function describeScope(parts: ScopeParts): string {
  const information = informationInWords(parts.givenName, parts.program, parts.categories);
  const until = parts.expirationEvent ? `until ${parts.expiresOn} or ${parts.expirationEvent}, whichever comes first` : `until ${parts.expiresOn}`;
  return `${information.charAt(0).toUpperCase()}${information.slice(1)}, for ${purposeInWords(parts.purpose)} by ${list(parts.recipients)}, ${until}`;
}

export interface ReceiptParts extends ScopeParts {
  consentId: string;
  signerName: string;
  relationship: SignerRelationship;
  signedOn: string;
  effectiveOn: string;
  revokedRecipients: string[];
  revokedWhole: boolean;
}

/** What the provider hands to the patient: what, with whom, why, until when, and how to revoke. */
export function writeReceipt(parts: ReceiptParts): string {
  const lines = [
    `Consent to share information — ${parts.program}`,
    `Reference: ${parts.consentId}`,
    '',
    `What is shared: ${informationInWords(parts.givenName, parts.program, parts.categories)}. Nothing about diagnoses, medications or clinical notes is shared.`,
    `With whom: ${list(parts.recipients)}, each named here and no one else.`,
    `Why: ${purposeInWords(parts.purpose)} only. The information may not be used to investigate or prosecute you, and the recipients may not share it further (42 CFR part 2).`,
    `From ${parts.effectiveOn} until ${parts.expiresOn}${parts.expirationEvent ? ` or ${parts.expirationEvent}, whichever comes first` : ''}.`,
    `Signed on ${parts.signedOn} by ${parts.signerName} (${relationshipInWords(parts.relationship)}).`,
    '',
    `Your rights: you may revoke this consent at any time, in writing or electronically, for all recipients or only some, by telling ${parts.program}. A revocation takes effect as soon as it is recorded; information already shared in reliance on this consent cannot be taken back. Your treatment does not depend on whether you sign.`,
  ];
  if (parts.revokedWhole) lines.push('', 'Status: this consent has been revoked.');
  else if (parts.revokedRecipients.length > 0) lines.push('', `Revoked for: ${list(parts.revokedRecipients)}.`);
  return lines.join('\n');
}
