import type { PageDefinition } from '../../navigation/page';

/** Provider staff's part of the app: their organisation's patients and each patient's consents. */
export const pages: PageDefinition[] = [
  {
    path: '/patients',
    title: 'Patients',
    roles: ['provider_staff'],
    order: 20,
    load: async () => (await import('./patients-page')).PatientsPage,
  },
];
