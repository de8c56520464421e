import type { AgencyType, OrganizationKind } from '@libs/auth/principal.js';
import type { NewEnrollment } from '@app/modules/enrollments/enrollments.service.js';
import type { ConsentPurpose, DataCategory } from '@app/modules/consents/consent.js';

/** Invented people and organisations for a newcomer's first run. None of it is real. */
export const DEMO_ORGANIZATIONS: Array<{ key: string; name: string; kind: OrganizationKind; part2Program: boolean; agencyType?: AgencyType }> = [
  { key: 'metro-crisis-team', name: 'Metro Crisis Team', kind: 'RESPONDER_AGENCY', part2Program: false, agencyType: 'CO_RESPONDER' },
  { key: 'county-mobile-crisis', name: 'County Mobile Crisis (clinical)', kind: 'RESPONDER_AGENCY', part2Program: false, agencyType: 'MOBILE_CRISIS' },
  { key: 'metro-police', name: 'Metro Police Department', kind: 'RESPONDER_AGENCY', part2Program: false, agencyType: 'LAW_ENFORCEMENT' },
  { key: 'riverside-recovery', name: 'Riverside Recovery', kind: 'TREATMENT_PROVIDER', part2Program: true },
  { key: 'harbor-mental-health', name: 'Harbor Mental Health', kind: 'TREATMENT_PROVIDER', part2Program: false },
  { key: 'state-oversight', name: 'State Behavioral Health Oversight', kind: 'OVERSIGHT', part2Program: false },
];

export const DEMO_PATIENTS: Array<{
  organizationKey: string;
  person: { givenName: string; familyName: string; dateOfBirth: string; aliases: string[] };
  enrollments: Array<Omit<NewEnrollment, 'patientId'>>;
  consents?: Array<{ recipients: string[]; purpose: ConsentPurpose; categories: DataCategory[]; months: number }>;
}> = [
  {
    organizationKey: 'riverside-recovery',
    person: { givenName: 'Dana', familyName: 'Rivera', dateOfBirth: '1990-04-12', aliases: ['Dee'] },
    enrollments: [
      {
        programName: 'Riverside Opioid Treatment Program',
        serviceType: 'OPIOID_TREATMENT',
        startedOn: '2025-09-02',
        careTeam: [
          { name: 'Jordan Lee', role: 'Case manager', phone: '+1 555 0100 201', afterHoursPhone: '+1 555 0100 299', hours: 'Mon-Fri 8:00-17:00' },
          { name: 'Dr. Priya Shah', role: 'Prescriber', phone: '+1 555 0100 202', hours: 'Tue and Thu mornings' },
        ],
        engagementNotes: 'Responds well to a calm, slow approach. Prefers to be called Dee. Ask about her dog.',
      },
    ],
    consents: [
      {
        recipients: ['metro-crisis-team', 'county-mobile-crisis', 'metro-police'],
        purpose: 'CRISIS_RESPONSE',
        categories: ['TREATMENT_STATUS', 'CARE_TEAM_CONTACT', 'ENGAGEMENT_NOTES'],
        months: 12,
      },
    ],
  },
  {
    organizationKey: 'harbor-mental-health',
    person: { givenName: 'Sam', familyName: 'Okafor', dateOfBirth: '1984-11-30', aliases: ['Samuel'] },
    enrollments: [
      {
        programName: 'Harbor Assertive Community Treatment',
        serviceType: 'MENTAL_HEALTH',
        startedOn: '2024-03-15',
        careTeam: [{ name: 'Morgan Diaz', role: 'ACT team lead', phone: '+1 555 0140 310', afterHoursPhone: '+1 555 0140 399', hours: '24/7 on-call line' }],
        engagementNotes: 'Loud sirens escalate. Offer water and space; his brother Ike is a good support.',
      },
    ],
    consents: [{ recipients: ['metro-crisis-team'], purpose: 'CRISIS_RESPONSE', categories: ['TREATMENT_STATUS', 'CARE_TEAM_CONTACT'], months: 6 }],
  },
  {
    organizationKey: 'riverside-recovery',
    person: { givenName: 'Alex', familyName: 'Chen', dateOfBirth: '1978-06-05', aliases: [] },
    enrollments: [
      {
        programName: 'Riverside Outpatient SUD Program',
        serviceType: 'SUD_TREATMENT',
        startedOn: '2026-01-10',
        careTeam: [{ name: 'Casey Brooks', role: 'Counselor', phone: '+1 555 0100 230', hours: 'Mon-Sat 9:00-18:00' }],
      },
    ],
  },
  {
    organizationKey: 'harbor-mental-health',
    person: { givenName: 'Alex', familyName: 'Chen', dateOfBirth: '1978-06-05', aliases: ['Alexander'] },
    enrollments: [
      {
        programName: 'Harbor Peer Recovery Support',
        serviceType: 'PEER_RECOVERY',
        startedOn: '2025-12-01',
        careTeam: [{ name: 'Riley Park', role: 'Peer specialist', phone: '+1 555 0140 330' }],
      },
    ],
    consents: [{ recipients: ['county-mobile-crisis'], purpose: 'CARE_COORDINATION', categories: ['TREATMENT_STATUS'], months: 3 }],
  },
];

/**
 * The partnership agreements in force between the demo providers and agencies (issue 15): a
 * consent may name an agency, and a lookup disclose to it, only under one. Harbor has none with
 * the police, so its consents cannot name them.
 */
export const DEMO_PARTNERSHIPS: Array<{ provider: string; agency: string; kind: 'MOU' | 'DATA_SHARING_AGREEMENT' | 'QSOA'; reference: string }> = [
  { provider: 'riverside-recovery', agency: 'metro-crisis-team', kind: 'DATA_SHARING_AGREEMENT', reference: 'DSA-2026-RIV-MCT' },
  { provider: 'riverside-recovery', agency: 'county-mobile-crisis', kind: 'QSOA', reference: 'QSOA-2026-RIV-CMC' },
  { provider: 'riverside-recovery', agency: 'metro-police', kind: 'MOU', reference: 'MOU-2026-RIV-MPD (deflection)' },
  { provider: 'harbor-mental-health', agency: 'metro-crisis-team', kind: 'MOU', reference: 'MOU-2026-HAR-MCT' },
  { provider: 'harbor-mental-health', agency: 'county-mobile-crisis', kind: 'DATA_SHARING_AGREEMENT', reference: 'DSA-2026-HAR-CMC' },
];

/**
 * The demo referrals (issue 15), from Alice's crisis team, so a newcomer sees the feedback loop:
 * one to Harbor that Harbor accepted and closed as ENGAGED, with the person's REFERRAL_OUTCOME
 * consent naming the team (Alice sees the outcome under `Referrals`); one to Riverside still in
 * Pat's queue, to accept or decline. Invented people, as everything here.
 */
export const DEMO_REFERRALS: Array<{
  agency: string;
  provider: string;
  person: { givenName: string; familyName: string; dateOfBirth: string | null };
  reason: 'CRISIS' | 'OVERDOSE' | 'MENTAL_HEALTH' | 'SUBSTANCE_USE' | 'WELFARE_CHECK' | 'HOUSING' | 'OTHER';
  urgency: 'ROUTINE' | 'URGENT' | 'EMERGENT';
  incidentNumber: string;
  callbackPhone: string;
  note: string;
  /** Accepted, with the person registered as a patient (and enrolled), consenting to the outcome going back, then closed. */
  closedWith?: { outcome: 'CONTACTED' | 'ENGAGED' | 'DECLINED' | 'UNABLE_TO_REACH' | 'NOT_ELIGIBLE'; programName: string; careTeamPhone: string };
}> = [
  {
    agency: 'metro-crisis-team',
    provider: 'harbor-mental-health',
    person: { givenName: 'Jamie', familyName: 'Torres', dateOfBirth: '1995-08-21' },
    reason: 'MENTAL_HEALTH',
    urgency: 'URGENT',
    incidentNumber: 'INC-2026-0311',
    callbackPhone: '+1 555 0160 411',
    note: 'Asked for someone to talk to this week; best reached in the evening.',
    closedWith: { outcome: 'ENGAGED', programName: 'Harbor Outpatient Counseling', careTeamPhone: '+1 555 0140 320' },
  },
  {
    agency: 'metro-crisis-team',
    provider: 'riverside-recovery',
    person: { givenName: 'Morgan', familyName: 'Blake', dateOfBirth: null },
    reason: 'SUBSTANCE_USE',
    urgency: 'ROUTINE',
    incidentNumber: 'INC-2026-0318',
    callbackPhone: '+1 555 0160 422',
    note: 'Wants to talk about treatment options; has a phone but no fixed address.',
  },
];

/** Who to mint a demo token for: one per role (the first of a role is its example), plus both sides' admins for agreements. */
export const DEMO_PRINCIPALS = [
  { role: 'responder', org: 'metro-crisis-team', sub: 'alice', name: 'Alice Responder' },
  { role: 'clinical_responder', org: 'county-mobile-crisis', sub: 'casey', name: 'Casey Medic, RN' },
  { role: 'provider_staff', org: 'riverside-recovery', sub: 'pat', name: 'Pat Intake' },
  { role: 'compliance_officer', org: 'state-oversight', sub: 'olive', name: 'Olive Oversight' },
  { role: 'admin', org: 'state-oversight', sub: 'adam', name: 'Adam Admin' },
  // Agreements are between a provider and an agency: each side's administrator (issue 15).
  { role: 'admin', org: 'riverside-recovery', sub: 'rosa', name: 'Rosa Admin (Riverside)' },
  { role: 'admin', org: 'metro-police', sub: 'miles', name: 'Miles Admin (Metro Police)' },
] as const;
