import type { ConfidentialityCode, SensitivityLabel } from '@app/modules/enrollments/enrollment.js';
import { type Consent, type ConsentPurpose, type ConsentStatus, type DataCategory, revokedRecipientsAt, factsOf, type SignerRelationship } from './consent.js';

/** Code systems used in exports (C24). */
export const FHIR_SYSTEMS = {
  confidentiality: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  actReason: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
  consentScope: 'http://terminology.hl7.org/CodeSystem/consentscope',
  consentCategory: 'http://terminology.hl7.org/CodeSystem/consentcategorycodes',
  participationType: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  roleCode: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode',
  loinc: 'http://loinc.org',
  dataCategory: 'https://crisis-link.dev/fhir/CodeSystem/data-category',
} as const;

export const PART2_POLICY_URI = 'https://www.ecfr.gov/current/title-42/chapter-I/subchapter-A/part-2';

/** HL7 v3 ActReason for each purpose (C24). */
export const PURPOSE_OF_USE: Record<ConsentPurpose | 'MEDICAL_EMERGENCY', { code: string; display: string }> = {
  CRISIS_RESPONSE: { code: 'ETREAT', display: 'Emergency Treatment' },
  CARE_COORDINATION: { code: 'CAREMGT', display: 'care management' },
  MEDICAL_EMERGENCY: { code: 'ETREAT', display: 'Emergency Treatment' },
};

const DATA_CATEGORY_DISPLAY: Record<DataCategory, string> = {
  TREATMENT_STATUS: 'Whether the patient is in treatment, since when, with which program',
  CARE_TEAM_CONTACT: 'How to reach the care team',
  ENGAGEMENT_NOTES: 'Provider-written guidance for responders',
  REFERRAL_OUTCOME: 'What became of a referral the recipient made: accepted, contacted, engaged or not',
};

const SIGNER_ROLE: Record<Exclude<SignerRelationship, 'SELF'>, { code: string; display: string }> = {
  PARENT: { code: 'PRN', display: 'parent' },
  GUARDIAN: { code: 'GUARD', display: 'guardian' },
  HEALTH_CARE_PROXY: { code: 'HPOWATT', display: 'healthcare power of attorney' },
  PERSONAL_REPRESENTATIVE: { code: 'NOK', display: 'next of kin' },
};

/** Sensitivity labels as HL7 security labels (C24): confidentiality R/V, 42CFRPart2, SUD, PSY (for MH), ETH. */
export function securityLabels(labels: SensitivityLabel[], confidentiality: ConfidentialityCode) {
  const coding: Array<{ system: string; code: string; display?: string }> = [
    { system: FHIR_SYSTEMS.confidentiality, code: confidentiality, display: confidentiality === 'V' ? 'very restricted' : 'restricted' },
  ];
  if (labels.includes('42CFRPart2')) coding.push({ system: FHIR_SYSTEMS.actCode, code: '42CFRPart2', display: '42 CFR Part2' });
  if (labels.includes('SUD')) {
    coding.push({ system: FHIR_SYSTEMS.actCode, code: 'SUD', display: 'substance use disorder information sensitivity' });
    coding.push({ system: FHIR_SYSTEMS.actCode, code: 'ETH', display: 'substance abuse information sensitivity' });
  }
  if (labels.includes('MH')) coding.push({ system: FHIR_SYSTEMS.actCode, code: 'PSY', display: 'psychiatry disorder information sensitivity' });
  return coding;
}

function fhirStatus(status: ConsentStatus): 'active' | 'inactive' | 'proposed' {
  switch (status) {
    case 'ACTIVE':
    case 'PARTIALLY_REVOKED':
      return 'active';
    case 'NOT_YET_EFFECTIVE':
      return 'proposed';
    case 'EXPIRED':
    case 'REVOKED':
    case 'SUPERSEDED':
      return 'inactive';
  }
}

export interface ConsentSensitivity {
  labels: SensitivityLabel[];
  confidentiality: ConfidentialityCode;
}

/**
 * A FHIR R4 Consent (C24): a privacy consent permitting the named recipients, for the purpose,
 * the data categories and the period, under 42 CFR Part 2; revoked recipients as nested deny
 * provisions from the moment of revocation.
 */
export function consentToFhir(consent: Consent, status: ConsentStatus, at: Date, sensitivity: ConsentSensitivity): Record<string, unknown> {
  const revoked = revokedRecipientsAt(factsOf(consent), at);
  const patient = { reference: `Patient/${consent.patientId}` };
  const contained: unknown[] = [];
  let performer: Array<{ reference: string }>;
  if (consent.signerRelationship === 'SELF') {
    performer = [patient];
  } else {
    const role = SIGNER_ROLE[consent.signerRelationship];
    contained.push({
      resourceType: 'RelatedPerson',
      id: 'signer',
      patient,
      relationship: [{ coding: [{ system: FHIR_SYSTEMS.roleCode, code: role.code, display: role.display }], text: consent.signerRelationship.toLowerCase().replace(/_/g, ' ') }],
      name: [{ text: consent.signerName }],
    });
    performer = [{ reference: '#signer' }];
  }
  const purpose = PURPOSE_OF_USE[consent.purpose];
  const recipientActor = (r: { id: string; name: string }) => ({
    role: { coding: [{ system: FHIR_SYSTEMS.participationType, code: 'IRCP', display: 'information recipient' }] },
    reference: { reference: `Organization/${r.id}`, display: r.name },
  });
  const revocationTime = (organizationId: string) =>
    consent.revocations.find((rev) => rev.recordedAt.getTime() <= at.getTime() && (rev.whole || rev.recipientOrganizationIds.includes(organizationId)))?.recordedAt;
  const deny = consent.recipients
    .filter((r) => revoked.has(r.id))
    .map((r) => ({ type: 'deny', period: { start: revocationTime(r.id)!.toISOString() }, actor: [recipientActor(r)] }));
  return {
    resourceType: 'Consent',
    id: consent.id,
    meta: { versionId: String(consent.version), lastUpdated: consent.recordedAt.toISOString(), security: securityLabels(sensitivity.labels, sensitivity.confidentiality) },
    ...(contained.length > 0 ? { contained } : {}),
    text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${escapeXml(consent.scopeDescription)}</div>` },
    status: fhirStatus(status),
    scope: { coding: [{ system: FHIR_SYSTEMS.consentScope, code: 'patient-privacy', display: 'Privacy Consent' }] },
    category: [
      { coding: [{ system: FHIR_SYSTEMS.loinc, code: '59284-0', display: 'Patient Consent' }] },
      { coding: [{ system: FHIR_SYSTEMS.consentCategory, code: 'idscl', display: 'information disclosure' }] },
    ],
    patient,
    dateTime: consent.signedAt.toISOString(),
    performer,
    organization: [{ reference: `Organization/${consent.disclosingOrganization.id}`, display: consent.disclosingOrganization.name }],
    policy: [{ authority: PART2_POLICY_URI, uri: `${PART2_POLICY_URI}/subpart-C/section-2.31` }],
    provision: {
      type: 'permit',
      period: { start: consent.effectiveFrom.toISOString(), end: consent.expiresAt.toISOString() },
      actor: consent.recipients.map(recipientActor),
      action: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentaction', code: 'disclose', display: 'Disclose' }] }],
      securityLabel: securityLabels(sensitivity.labels, sensitivity.confidentiality),
      purpose: [{ system: FHIR_SYSTEMS.actReason, code: purpose.code, display: purpose.display }],
      class: consent.dataCategories.map((c) => ({ system: FHIR_SYSTEMS.dataCategory, code: c, display: DATA_CATEGORY_DISPLAY[c] })),
      code: consent.dataCategories.map((c) => ({ coding: [{ system: FHIR_SYSTEMS.dataCategory, code: c, display: DATA_CATEGORY_DISPLAY[c] }] })),
      ...(deny.length > 0 ? { provision: deny } : {}),
    },
  };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
