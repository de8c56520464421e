import type { PageDefinition } from '../../navigation/page';

/** The admin's part of the app: access policy versions per role (publish, roll back). */
export const pages: PageDefinition[] = [
  {
    path: '/policies',
    title: 'Policies',
    roles: ['admin'],
    order: 60,
    load: async () => (await import('./policies-page')).PoliciesPage,
  },
];
