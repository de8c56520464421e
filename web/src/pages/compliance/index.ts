import type { PageDefinition } from '../../navigation/page';

/** The compliance officer's part of the app: the audit log, a person's accounting of disclosures, the ledger. */
export const pages: PageDefinition[] = [
  {
    path: '/audit-log',
    title: 'Audit log',
    roles: ['compliance_officer'],
    order: 40,
    load: async () => (await import('./audit-log-page')).AuditLogPage,
  },
  {
    path: '/accounting',
    title: 'Accounting',
    roles: ['compliance_officer'],
    order: 41,
    load: async () => (await import('./accounting-page')).AccountingPage,
  },
  {
    path: '/ledger',
    title: 'Ledger',
    roles: ['compliance_officer'],
    order: 42,
    load: async () => (await import('./ledger-page')).LedgerPage,
  },
];
