import { ProviderDesk } from '@libs/testing/provider-desk.js';
import type { TestApp } from './test-app.js';

export { nonAcknowledgementCases, person, ProviderDesk } from '@libs/testing/provider-desk.js';

/** A fresh treatment provider and one of its staff, for one test file. */
export async function openProviderDesk(t: TestApp, options: { part2Program?: boolean } = {}): Promise<ProviderDesk> {
  const organization = await t.organization('TREATMENT_PROVIDER', options);
  const token = await t.token('provider_staff', organization);
  return new ProviderDesk(async (tok, query, variables) => (await t.graphql(tok, query, variables)).body, organization, token);
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
