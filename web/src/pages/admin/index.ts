import type { PageDefinition } from '../../navigation/page';

/** The admin's part of the app: access policy versions per role (publish, roll back), and partnership agreements. */
export const pages: PageDefinition[] = [
  {
    path: '/policies',
    title: 'Policies',
    roles: ['admin'],
    order: 60,
    load: async () => (await import('./policies-page')).PoliciesPage,
  },
  {
    path: '/agreements',
    title: 'Agreements',
    roles: ['admin'],
    order: 62,
    load: async () => (await import('./agreements-page')).AgreementsPage,
  },
];
