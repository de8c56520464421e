import type { PageDefinition } from '../../navigation/page';

/** The admin's part of the app: organisations (create, rename, deactivate), access policy versions per role (publish, compare, roll back, explain), and partnership agreements. */
export const pages: PageDefinition[] = [
  {
    path: '/organizations',
    title: 'Organizations',
    roles: ['admin'],
    order: 59,
    load: async () => (await import('./organizations-page')).OrganizationsPage,
  },
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
