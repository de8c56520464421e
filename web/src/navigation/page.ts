import type { ComponentType } from 'preact';
import type { Me } from '../api/me';
import type { AppConfig } from '../auth/app-config';
import type { Session } from '../auth/session';

/** Roles as the API names them (DESIGN.md, "Who uses it"). */
export type Role = 'responder' | 'clinical_responder' | 'provider_staff' | 'compliance_officer' | 'admin';

/** What every page gets from the shell. */
export interface PageProps {
  session: Session;
  me: Me;
  config: AppConfig;
}

/**
 * One page of the app. Each area of the app (web/src/pages/<area>/index.ts) exports its pages;
 * the shell lists those a person's roles may see in the navigation named "Main", in `order`, and
 * loads a page's code only when it is opened (so one role's pages do not weigh on another's).
 */
export interface PageDefinition {
  /** The address, one lower-case word or hyphenated words (the service serves the app there). */
  path: string;
  /** The link in the navigation, the page's heading and title. */
  title: string;
  roles: readonly Role[];
  /**
   * Reached from another page rather than listed in the navigation (the referral form, opened by
   * `Refer` on an answer or from the list of referrals): keeps a phone's navigation on one line.
   */
  unlisted?: boolean;
  /** Only for people of these organisation kinds (for example the agency report: responder agencies); every kind when absent. */
  organizationKinds?: readonly string[];
  /** Lower comes first; the first page a person may see is their home. */
  order: number;
  load: () => Promise<ComponentType<PageProps>>;
}
