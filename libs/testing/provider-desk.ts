import { randomUUID } from 'node:crypto';

/** Sends one GraphQL operation with a bearer token and returns the parsed body. */
export type GraphqlCall = (token: string, query: string, variables?: Record<string, unknown>) => Promise<{ data?: any; errors?: unknown[] }>;

export interface OrganizationRef {
  id: string;
  key: string;
  name: string;
}

const REGISTER = 'mutation($input: RegisterPatientInput!) { registerPatient(input: $input) { id } }';
const ENROLL = 'mutation($input: RecordEnrollmentInput!) { recordEnrollment(input: $input) { id } }';
const CONSENT = 'mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }';

/** A person with invented identifiers; the family name is unique, so scenarios never collide. */
export function person(overrides: Partial<{ givenName: string; familyName: string; dateOfBirth: string; aliases: string[] }> = {}) {
  return { givenName: 'Dana', familyName: `Rivera${randomUUID().slice(0, 8)}`, dateOfBirth: '1990-04-12', aliases: [] as string[], ...overrides };
}

/**
 * A treatment provider's staff member acting through GraphQL as a provider would: used by the
 * end-to-end tests and the benchmarks to build people, enrollments and consents.
 */
export class ProviderDesk {
  constructor(
    private readonly graphql: GraphqlCall,
    readonly organization: OrganizationRef,
    readonly staffToken: string,
  ) {}

  async call(query: string, variables: Record<string, unknown>) {
    const answer = await this.graphql(this.staffToken, query, variables);
    if (answer.errors) throw new Error(`provider call failed: ${JSON.stringify(answer.errors)}`);
    return answer.data!;
  }

  /** `confirmDistinctPerson` registers a second record of a possible duplicate on purpose. */
  async register(who: ReturnType<typeof person> & { confirmDistinctPerson?: boolean }): Promise<string> {
    return (await this.call(REGISTER, { input: who })).registerPatient.id;
  }

  async enroll(patientId: string, overrides: Record<string, unknown> = {}): Promise<string> {
    return (
      await this.call(ENROLL, {
        input: {
          patientId,
          programName: `${this.organization.name} program`,
          serviceType: 'OPIOID_TREATMENT',
          startedOn: '2025-09-02',
          careTeam: [{ name: 'Jordan Lee', role: 'Case manager', phone: '+1 555 0100 201', afterHoursPhone: '+1 555 0100 299', hours: 'Mon-Fri' }],
          engagementNotes: 'Calm, slow approach.',
          ...overrides,
        },
      })
    ).recordEnrollment.id;
  }

  async consent(patientId: string, recipients: OrganizationRef[], overrides: Record<string, unknown> = {}): Promise<string> {
    return (
      await this.call(CONSENT, {
        input: {
          patientId,
          recipientOrganizationKeys: recipients.map((r) => r.key),
          purpose: 'CRISIS_RESPONSE',
          dataCategories: ['TREATMENT_STATUS', 'CARE_TEAM_CONTACT', 'ENGAGEMENT_NOTES'],
          expiresAt: '2030-01-01T00:00:00Z',
          signedBy: { name: 'The Patient', relationship: 'SELF' },
          signedAt: new Date(Date.now() - 86_400_000).toISOString(),
          acknowledgements: { rightToRevoke: true, treatmentNotConditioned: true, redisclosureRestricted: true },
          ...overrides,
        },
      })
    ).recordConsent.id;
  }

  async revoke(consentId: string, recipients?: OrganizationRef[]): Promise<void> {
    await this.call('mutation($input: RevokeConsentInput!) { revokeConsent(input: $input) { id } }', {
      input: { consentId, method: 'WRITTEN', receivedAt: new Date().toISOString(), ...(recipients ? { recipientOrganizationKeys: recipients.map((r) => r.key) } : {}) },
    });
  }

  async endEnrollment(enrollmentId: string, endedOn: string): Promise<void> {
    await this.call('mutation($input: EndEnrollmentInput!) { endEnrollment(input: $input) { id } }', { input: { enrollmentId, endedOn } });
  }

  /** A registered, enrolled patient with a crisis-response consent naming `recipients`. */
  async consentedPatient(recipients: OrganizationRef[], who: ReturnType<typeof person> & { confirmDistinctPerson?: boolean } = person(), consent: Record<string, unknown> = {}) {
    const patientId = await this.register(who);
    await this.enroll(patientId);
    const consentId = await this.consent(patientId, recipients, consent);
    return { patientId, consentId, who };
  }
}

type Identity = { givenName: string; familyName: string; dateOfBirth: string };

/**
 * Every way a lookup must end in the one NO_INFORMATION answer (C9), each set up for `agency`
 * by `desk`, plus a control that is disclosed. Each returns the identity to look up.
 */
export function nonAcknowledgementCases(desk: ProviderDesk, agency: OrganizationRef, other: OrganizationRef): Record<string, () => Promise<Identity>> {
  return {
    'no such person': async () => person(),
    'not in treatment (never enrolled)': async () => {
      const who = person();
      await desk.consent(await desk.register(who), [agency]);
      return who;
    },
    'not in treatment (enrollment ended)': async () => {
      const who = person();
      const id = await desk.register(who);
      const enrollment = await desk.enroll(id, { startedOn: '2024-01-01' });
      await desk.consent(id, [agency]);
      await desk.endEnrollment(enrollment, '2025-01-01');
      return who;
    },
    'in treatment, no consent': async () => {
      const who = person();
      await desk.enroll(await desk.register(who));
      return who;
    },
    'consent expired': async () => {
      const { who } = await desk.consentedPatient([agency], person(), { expiresAt: new Date(Date.now() + 1000).toISOString() });
      await new Promise((resolve) => setTimeout(resolve, 1200));
      return who;
    },
    'consent not yet effective': async () => (await desk.consentedPatient([agency], person(), { effectiveFrom: new Date(Date.now() + 86_400_000).toISOString() })).who,
    'consent revoked': async () => {
      const { who, consentId } = await desk.consentedPatient([agency]);
      await desk.revoke(consentId);
      return who;
    },
    'consent revoked for this agency only': async () => {
      const { who, consentId } = await desk.consentedPatient([agency, other]);
      await desk.revoke(consentId, [agency]);
      return who;
    },
    'consent superseded by one naming another agency': async () => {
      const { who, consentId, patientId } = await desk.consentedPatient([agency]);
      await desk.consent(patientId, [other], { supersedesConsentId: consentId });
      return who;
    },
    'consent names another agency': async () => (await desk.consentedPatient([other])).who,
    'consent for another purpose': async () => (await desk.consentedPatient([agency], person(), { purpose: 'CARE_COORDINATION' })).who,
    'two patients of one provider match': async () => {
      const who = person();
      await desk.consentedPatient([agency], who);
      await desk.consentedPatient([agency], { ...who, aliases: [], confirmDistinctPerson: true });
      return who;
    },
  };
}
