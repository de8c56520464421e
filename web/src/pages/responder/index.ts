import type { PageDefinition } from '../../navigation/page';

/** The responders' part of the app: one screen, the lookup (with the medical emergency for clinical responders). */
export const pages: PageDefinition[] = [
  {
    path: '/lookup',
    title: 'Look up',
    roles: ['responder', 'clinical_responder'],
    order: 10,
    load: async () => (await import('./lookup-page')).LookupPage,
  },
];
