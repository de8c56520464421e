import { RESPONDER_FIELDS } from '@libs/authorization/vocabulary.js';
import { type Candidate, type CandidateConsent, decideLookup, type LookupRequest } from './lookup-decision.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const CALLER = 'org-metro';

const consent = (overrides: Partial<CandidateConsent> = {}): CandidateConsent => ({
  id: 'consent-1',
  recordedAt: new Date('2026-01-01T00:00:00Z'),
  purpose: 'CRISIS_RESPONSE',
  dataCategories: ['TREATMENT_STATUS', 'CARE_TEAM_CONTACT', 'ENGAGEMENT_NOTES'],
  effectiveFrom: new Date('2026-01-01T00:00:00Z'),
  expiresAt: new Date('2027-01-01T00:00:00Z'),
  revocations: [],
  supersededAt: null,
  acknowledgements: { rightToRevoke: true, treatmentNotConditioned: true, redisclosureRestricted: true },
  recipientOrganizationIds: [CALLER],
  ...overrides,
});

const candidate = (overrides: Partial<Candidate> = {}): Candidate => ({
  patientId: 'patient-1',
  organizationId: 'org-riverside',
  organizationKey: 'riverside',
  organizationName: 'Riverside',
  partnershipAgreementId: 'agreement-1',
  enrollments: [{ id: 'e1', programName: 'OTP', startedOn: '2025-09-02', careTeam: [{ name: 'Jo', role: 'CM', phone: '1', afterHoursPhone: null, hours: null }], engagementNotes: 'calm' }],
  consents: [consent()],
  ...overrides,
});

const request = (overrides: Partial<LookupRequest> = {}): LookupRequest => ({
  callerOrganizationId: CALLER,
  callerOrganizationName: 'Metro Crisis Team',
  basis: 'CONSENT',
  purpose: 'CRISIS_RESPONSE',
  permittedFields: new Set(RESPONDER_FIELDS),
  at: NOW,
  ...overrides,
});

describe('decideLookup', () => {
  it('discloses the consented categories', () => {
    const decision = decideLookup([candidate()], request());
    expect(decision.records).toEqual([
      { programName: 'OTP', inTreatment: true, treatmentSince: '2025-09-02', careTeam: expect.any(Array), engagementNotes: 'calm', consentScope: 'Whether the person is in treatment at Riverside, how to reach the care team and Riverside\'s guidance for responders on how best to approach the person, for crisis response by Metro Crisis Team, until 2027-01-01', consentExpiresAt: new Date('2027-01-01T00:00:00Z'), basis: 'CONSENT' },
    ]);
    expect(decision.disclosures).toEqual([{ patientId: 'patient-1', organizationId: 'org-riverside', organizationKey: 'riverside', organizationName: 'Riverside', consentId: 'consent-1', partnershipAgreementId: 'agreement-1', categories: ['TREATMENT_STATUS', 'CARE_TEAM_CONTACT', 'ENGAGEMENT_NOTES'] }]);
  });

  it('intersects the grant with the fields the policy allows; a field outside is null (C10)', () => {
    const decision = decideLookup([candidate()], request({ permittedFields: new Set(['programName', 'inTreatment', 'careTeam']) }));
    expect(decision.records[0]).toMatchObject({ programName: 'OTP', inTreatment: true, treatmentSince: null, engagementNotes: null });
    expect(decision.records[0].consentScope).not.toMatch(/guidance/);
    expect(decision.disclosures[0].categories).toEqual(['TREATMENT_STATUS', 'CARE_TEAM_CONTACT']);
  });

  it('names the program in the scope only when the program name is disclosed', () => {
    const decision = decideLookup([candidate({ consents: [consent({ dataCategories: ['CARE_TEAM_CONTACT'] })] })], request());
    expect(decision.records[0].consentScope).toBe("How to reach the person's care team at their treatment program, for crisis response by Metro Crisis Team, until 2027-01-01");
  });

  it('discloses nothing when the policy allows none of the granted fields', () => {
    const decision = decideLookup([candidate({ consents: [consent({ dataCategories: ['ENGAGEMENT_NOTES'] })] })], request({ permittedFields: new Set(['careTeam']) }));
    expect(decision).toEqual({ records: [], disclosures: [] });
  });

  it('says nothing of a provider with two matching patients (ambiguous), and still answers for another provider', () => {
    const decision = decideLookup(
      [candidate(), candidate({ patientId: 'patient-2' }), candidate({ patientId: 'patient-3', organizationId: 'org-harbor', organizationKey: 'harbor' })],
      request(),
    );
    expect(decision.disclosures.map((d) => d.patientId)).toEqual(['patient-3']);
  });

  it('says nothing without an active enrollment', () => {
    expect(decideLookup([candidate({ enrollments: [] })], request()).records).toEqual([]);
  });

  it('prefers the consent granting most, then the latest', () => {
    const narrow = consent({ id: 'narrow', dataCategories: ['TREATMENT_STATUS'], recordedAt: new Date('2026-06-01T00:00:00Z') });
    const wide = consent({ id: 'wide' });
    expect(decideLookup([candidate({ consents: [narrow, wide] })], request()).disclosures[0].consentId).toBe('wide');
  });

  it('in an emergency discloses status and care team without consent, notes only under a crisis-response consent', () => {
    const without = decideLookup([candidate({ consents: [] })], request({ basis: 'MEDICAL_EMERGENCY' }));
    expect(without.records[0]).toMatchObject({ programName: 'OTP', careTeam: expect.any(Array), engagementNotes: null, consentScope: null, basis: 'MEDICAL_EMERGENCY' });
    expect(without.disclosures[0]).toMatchObject({ consentId: null, categories: ['TREATMENT_STATUS', 'CARE_TEAM_CONTACT'] });
    const coordination = decideLookup([candidate({ consents: [consent({ purpose: 'CARE_COORDINATION' })] })], request({ basis: 'MEDICAL_EMERGENCY' }));
    expect(coordination.records[0].engagementNotes).toBeNull();
    const crisis = decideLookup([candidate()], request({ basis: 'MEDICAL_EMERGENCY' }));
    expect(crisis.records[0].engagementNotes).toBe('calm');
  });
});
