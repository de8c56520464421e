import { randomUUID } from 'node:crypto';
import type { TestApp, TestOrganization } from './test-app.js';

const REGISTER = 'mutation($input: RegisterPatientInput!) { registerPatient(input: $input) { id } }';
const ENROLL = 'mutation($input: RecordEnrollmentInput!) { recordEnrollment(input: $input) { id } }';
const CONSENT = 'mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }';

/** A person with invented, unique identifiers, so tests never match each other's patients. */
export function person(overrides: Partial<{ givenName: string; familyName: string; dateOfBirth: string; aliases: string[] }> = {}) {
  return { givenName: 'Dana', familyName: `Rivera${randomUUID().slice(0, 8)}`, dateOfBirth: '1990-04-12', aliases: [] as string[], ...overrides };
}

/** A treatment provider's staff, acting through GraphQL as a provider would. */
export class ProviderDesk {
  constructor(
    private readonly t: TestApp,
    readonly organization: TestOrganization,
    private readonly token: string,
  ) {}

  static async open(t: TestApp, options: { part2Program?: boolean } = {}): Promise<ProviderDesk> {
    const organization = await t.organization('TREATMENT_PROVIDER', options);
    return new ProviderDesk(t, organization, await t.token('provider_staff', organization));
  }

  get staffToken(): string {
    return this.token;
  }

  async call(query: string, variables: Record<string, unknown>) {
    const answer = await this.t.graphql(this.token, query, variables);
    if (answer.errors) throw new Error(`provider call failed: ${JSON.stringify(answer.errors)}`);
    return answer.data!;
  }

  async register(who: ReturnType<typeof person>): Promise<string> {
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

  async consent(patientId: string, recipients: TestOrganization[], overrides: Record<string, unknown> = {}): Promise<string> {
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

  async revoke(consentId: string, recipients?: TestOrganization[]): Promise<void> {
    await this.call('mutation($input: RevokeConsentInput!) { revokeConsent(input: $input) { id } }', {
      input: { consentId, method: 'WRITTEN', receivedAt: new Date().toISOString(), ...(recipients ? { recipientOrganizationKeys: recipients.map((r) => r.key) } : {}) },
    });
  }

  /** A registered, enrolled patient with a crisis-response consent naming `recipients`. */
  async consentedPatient(recipients: TestOrganization[], who = person(), consent: Record<string, unknown> = {}) {
    const patientId = await this.register(who);
    await this.enroll(patientId);
    const consentId = await this.consent(patientId, recipients, consent);
    return { patientId, consentId, who };
  }
}

export const LOOKUP = `query($input: LookupInput!) { responderLookup(input: $input) {
  outcome disclosureId asOf redisclosureNotice useRestriction
  records { programName inTreatment treatmentSince careTeam { name role phone afterHoursPhone hours } engagementNotes consentScope consentExpiresAt basis }
} }`;

export const EMERGENCY = `mutation($input: EmergencyAccessInput!) { emergencyAccess(input: $input) {
  outcome disclosureId asOf redisclosureNotice useRestriction
  records { programName inTreatment treatmentSince careTeam { name phone } engagementNotes consentScope consentExpiresAt basis }
} }`;

export function lookupInput(who: { givenName: string; familyName: string; dateOfBirth: string }, overrides: Record<string, unknown> = {}) {
  return { givenName: who.givenName, familyName: who.familyName, dateOfBirth: who.dateOfBirth, incidentNumber: 'INC-2026-0042', purpose: 'CRISIS_RESPONSE', ...overrides };
}
