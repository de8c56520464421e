import type { PolicyDocument, PolicyRule } from './policy-document.js';
import type { PolicyProblem } from './policy-validation.js';

const OWN_ORGANIZATION = '${principal.org}';

/** A provider's own records: only its staff, only rows of its own organisation. */
const PROVIDER_RECORDS = new Set(['Patient', 'Enrollment', 'Consent', 'EmergencyDisclosure']);

/** Subjects that hold or reveal patient data, consents or the audit log. */
const PATIENT_DATA = new Set(['Patient', 'Enrollment', 'Consent', 'ResponderView', 'EmergencyDisclosure', 'Disclosure', 'AuditEvent', 'ReviewPatient', 'Referral']);

/** What a responder's policy may name: their one question, their agency's own referrals, the agency's aggregate report (C13). */
const RESPONDER_SUBJECTS = new Set(['ResponderView', 'Self', 'Referral', 'AgencyReport']);

/**
 * The condition fields that name the organisation a row belongs to, per subject. A rule scopes
 * to the caller's organisation when one of them equals `${principal.org}` exactly.
 */
const SCOPE_FIELDS: Record<string, readonly string[]> = {
  Patient: ['organizationKey'],
  Enrollment: ['organizationKey'],
  Consent: ['organizationKey'],
  EmergencyDisclosure: ['organizationKey'],
  Disclosure: ['organizationKey'],
  ReviewPatient: ['organizationKey'],
  AuditEvent: ['actorOrganizationKey', 'subjectOrganizationKeys'],
  PartnershipAgreement: ['providerOrganizationKey', 'agencyOrganizationKey'],
  Referral: ['agencyOrganizationKey', 'providerOrganizationKey'],
  AgencyReport: ['organizationKey'],
};

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

const isOwnOrganization = (operand: unknown): boolean =>
  operand === OWN_ORGANIZATION ||
  (!!operand && typeof operand === 'object' && !Array.isArray(operand) && Object.keys(operand).length === 1 && (operand as Record<string, unknown>).$eq === OWN_ORGANIZATION);

/**
 * Proves, rather than presumes, that a rule only reaches the caller's own organisation's rows:
 * its conditions are a plain object (CASL ANDs its keys, so every other key can only narrow),
 * with no top-level operator (`$or`, `$and`, `$nor`, `$where` could widen), and one scope field
 * of the subject is exactly `${principal.org}` (bare or `{ $eq }`). `$ne`, `$nin`, `$in` of many
 * keys, `$exists` or a regex are not a scope, whatever they look like.
 */
export function scopesToOwnOrganization(rule: PolicyRule, subject: string): boolean {
  const conditions = rule.conditions as Record<string, unknown> | undefined;
  if (!conditions || typeof conditions !== 'object' || Array.isArray(conditions)) return false;
  if (Object.keys(conditions).some((key) => key.startsWith('$'))) return false;
  return (SCOPE_FIELDS[subject] ?? []).some((field) => isOwnOrganization(conditions[field]));
}

/** Whether the rule's conditions are a plain object whose `field` is exactly the caller's organisation (see scopesToOwnOrganization). */
function scopedBy(rule: PolicyRule, field: string): boolean {
  const conditions = rule.conditions as Record<string, unknown> | undefined;
  if (!conditions || typeof conditions !== 'object' || Array.isArray(conditions)) return false;
  if (Object.keys(conditions).some((key) => key.startsWith('$'))) return false;
  return isOwnOrganization(conditions[field]);
}

const RESPONDER_ROLES = new Set(['responder', 'clinical_responder']);

/**
 * Each side of a referral has its own part (issue 15 review): the agency's responders make it
 * (`create`) and read their agency's, scoped by the agency; the provider's staff work it
 * (`accept`, `decline`, `record-outcome`) and read their queue, scoped by the provider. A rule
 * giving one side's action to the other, or scoped by the other side, is refused: an agency that
 * may decline its own referral takes a person off a provider's queue unseen.
 */
function referralSideProblem(rule: PolicyRule, role: string, actions: unknown[]): string | null {
  const onAgencySide = RESPONDER_ROLES.has(role);
  for (const action of actions) {
    if (action === 'read') {
      if (onAgencySide && !scopedBy(rule, 'agencyOrganizationKey')) return 'responders read only their agency\'s referrals (agencyOrganizationKey = ${principal.org})';
      if (role === 'provider_staff' && !scopedBy(rule, 'providerOrganizationKey')) return 'provider staff read only their queue (providerOrganizationKey = ${principal.org})';
    } else if (action === 'create') {
      if (!onAgencySide || !scopedBy(rule, 'agencyOrganizationKey')) return 'only responders make referrals, for their own agency (agencyOrganizationKey = ${principal.org})';
    } else if (role !== 'provider_staff' || !scopedBy(rule, 'providerOrganizationKey')) {
      return 'only provider_staff accept, decline or record outcomes of referrals, on their own queue (providerOrganizationKey = ${principal.org})';
    }
  }
  return null;
}

/**
 * Only `when.organizationKind: OVERSIGHT` widens a rule past the own organisation. A
 * `when.agencyType` narrows who a rule applies to (which callers), never which rows: a rule
 * conditioned on agency type must be scoped exactly like any other.
 */
const forOversightOnly = (rule: PolicyRule) => rule.when?.organizationKind === 'OVERSIGHT';

/**
 * Rules no policy version may break, checked when a version is published and, for the versions
 * in force, when the service starts:
 * - admin never reads patient data, consents or the audit log;
 * - only compliance_officer reads (or verifies) the audit log;
 * - only clinical_responder uses emergency access (§2.51: medical personnel, C14);
 * - patients, enrollments, consents and emergency records only for provider_staff, scoped to
 *   their own organisation (`scopesToOwnOrganization`); responders only the responder view (C13);
 * - the accounting and the audit log only scoped to the own organisation, or for an oversight
 *   body (C20);
 * - finding patients for review only for compliance_officer, scoped the same way;
 * - partnership agreements only scoped to a side the caller's organisation is on (provider or
 *   agency), or read by an oversight body; proposing, accepting, ending only by admin;
 * - a `when.agencyType` is never a scope: a rule conditioned on it meets every rule above;
 * - referrals only for the two organisations a referral joins, each side only its own part (the
 *   agency's responders create and read theirs, the provider's staff work their queue); the agency
 *   report only for the own agency;
 * - no rule grants everything (checked by the vocabulary).
 * Inverted rules only take away, so they are never refused. Malformed rules are left to the
 * vocabulary check, which runs beside this one.
 */
export function guardRailProblems(document: PolicyDocument): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const refuse = (rule: number, reason: string) => problems.push({ rule, reason: `GUARD_RAIL: ${reason}` });
  (Array.isArray(document?.rules) ? document.rules : []).forEach((rule: PolicyRule, index) => {
    if (!rule || typeof rule !== 'object' || rule.inverted === true) return;
    const subjects = asList(rule.subject).filter((s): s is string => typeof s === 'string');
    const actions = asList(rule.action);
    const role = document.role;
    if (role === 'admin' && subjects.some((s) => PATIENT_DATA.has(s))) refuse(index, 'admin never reads patient data, consents or the audit log');
    if (role !== 'compliance_officer' && subjects.includes('AuditEvent')) refuse(index, 'only compliance_officer reads the audit log');
    if (role !== 'clinical_responder' && subjects.includes('ResponderView') && actions.includes('emergency-access')) {
      refuse(index, 'only clinical_responder uses emergency access');
    }
    if (subjects.some((s) => PROVIDER_RECORDS.has(s) && (role !== 'provider_staff' || !scopesToOwnOrganization(rule, s)))) {
      refuse(index, 'patients, enrollments, consents and emergency records only for provider_staff, with organizationKey = ${principal.org}');
    }
    if ((role === 'responder' || role === 'clinical_responder') && subjects.some((s) => !RESPONDER_SUBJECTS.has(s))) {
      refuse(index, 'responders get the responder view only, with their agency\'s own referrals and aggregate report: no list or bulk access (C13)');
    }
    // A referral carries a person's identifying details: only the two organisations it joins reach it.
    if (subjects.includes('Referral') && !scopesToOwnOrganization(rule, 'Referral')) {
      refuse(index, 'referrals only with agencyOrganizationKey or providerOrganizationKey = ${principal.org}');
    } else if (subjects.includes('Referral')) {
      const side = referralSideProblem(rule, role, actions);
      if (side) refuse(index, side);
    }
    if (subjects.includes('AgencyReport') && !scopesToOwnOrganization(rule, 'AgencyReport')) refuse(index, 'the agency report only with organizationKey = ${principal.org}');
    if (subjects.includes('Disclosure') && !forOversightOnly(rule) && !scopesToOwnOrganization(rule, 'Disclosure')) {
      refuse(index, 'the accounting of disclosures only with organizationKey = ${principal.org}, or for an oversight body');
    }
    if (subjects.includes('ReviewPatient') && role !== 'compliance_officer') refuse(index, 'only compliance_officer finds patients for review');
    if (subjects.includes('ReviewPatient') && !forOversightOnly(rule) && !scopesToOwnOrganization(rule, 'ReviewPatient')) {
      refuse(index, 'finding patients for review only with organizationKey = ${principal.org}, or for an oversight body');
    }
    if (subjects.includes('PartnershipAgreement')) {
      const changes = actions.some((a) => a !== 'read');
      if (changes && role !== 'admin') refuse(index, 'only admin proposes, accepts or ends partnership agreements');
      if (!(forOversightOnly(rule) && !changes) && !scopesToOwnOrganization(rule, 'PartnershipAgreement')) {
        refuse(index, 'partnership agreements only with providerOrganizationKey or agencyOrganizationKey = ${principal.org}, or read by an oversight body');
      }
    }
    if (subjects.includes('AuditEvent') && !forOversightOnly(rule) && !scopesToOwnOrganization(rule, 'AuditEvent')) {
      refuse(index, 'the audit log only with actorOrganizationKey or subjectOrganizationKeys = ${principal.org}, or for an oversight body');
    }
  });
  return problems;
}
