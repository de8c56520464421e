import type { PageDefinition } from '../../navigation/page';

/**
 * Referrals and the feedback loop (docs/partnerships.md): the responder's referral form and their
 * agency's referrals, the provider's queue, and the agency's monthly report for every member of a
 * responder agency.
 */
export const pages: PageDefinition[] = [
  {
    path: '/refer',
    title: 'Refer',
    roles: ['responder', 'clinical_responder'],
    unlisted: true,
    order: 11,
    load: async () => (await import('./refer-page')).ReferPage,
  },
  {
    path: '/our-referrals',
    title: 'Referrals',
    roles: ['responder', 'clinical_responder'],
    order: 12,
    load: async () => (await import('./our-referrals-page')).OurReferralsPage,
  },
  {
    path: '/referrals',
    title: 'Referrals',
    roles: ['provider_staff'],
    order: 21,
    load: async () => (await import('./referrals-page')).ReferralsPage,
  },
  {
    path: '/agency-report',
    title: 'Report',
    roles: ['responder', 'clinical_responder', 'compliance_officer', 'admin'],
    organizationKinds: ['RESPONDER_AGENCY'],
    order: 13,
    load: async () => (await import('./agency-report-page')).AgencyReportPage,
  },
];
