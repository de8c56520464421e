import type { PageDefinition } from '../../navigation/page';

/**
 * Provider staff's part of the app: their organisation's patients (details, enrollments, consents)
 * and the medical-emergency disclosures of their records waiting to be acknowledged.
 */
export const pages: PageDefinition[] = [
  {
    path: '/patients',
    title: 'Patients',
    roles: ['provider_staff'],
    order: 20,
    load: async () => (await import('./patients-page')).PatientsPage,
  },
  {
    path: '/emergency-disclosures',
    title: 'Emergency disclosures',
    roles: ['provider_staff'],
    order: 22,
    load: async () => (await import('./emergency-disclosures-page')).EmergencyDisclosuresPage,
  },
];
