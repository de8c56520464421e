import type { PolicyDocument, PolicyRule } from './policy-document.js';
import type { PolicyProblem } from './policy-validation.js';

/** A provider's own records: only its staff, only rows of its own organisation. */
const PROVIDER_RECORDS = new Set(['Patient', 'Enrollment', 'Consent', 'EmergencyDisclosure']);

const scopedToOwnOrganization = (rule: PolicyRule) => (rule.conditions as Record<string, unknown> | undefined)?.organizationKey === '${principal.org}';

/** Subjects that hold or reveal patient data, consents or the audit log. */
const PATIENT_DATA = new Set(['Patient', 'Enrollment', 'Consent', 'ResponderView', 'EmergencyDisclosure', 'Disclosure', 'AuditEvent']);

const asList = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/**
 * Rules no policy version may break, checked when a version is published and, for the versions
 * in force, when the service starts:
 * - admin never reads patient data, consents or the audit log;
 * - only compliance_officer reads (or verifies) the audit log;
 * - only clinical_responder uses emergency access (§2.51: medical personnel, C14);
 * - patients, enrollments, consents and emergency records only for provider_staff, scoped to
 *   their own organisation; responders only the responder view (C13);
 * - the accounting and the audit log unscoped only for an oversight body;
 * - no rule grants everything (checked by validatePolicyDocument).
 */
export function guardRailProblems(document: PolicyDocument): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  document.rules.forEach((rule: PolicyRule, index) => {
    if (rule.inverted) return;
    const subjects = asList(rule.subject);
    const actions = asList(rule.action);
    if (document.role === 'admin' && subjects.some((s) => PATIENT_DATA.has(s))) {
      problems.push({ rule: index, reason: 'GUARD_RAIL: admin never reads patient data, consents or the audit log' });
    }
    if (document.role !== 'compliance_officer' && subjects.includes('AuditEvent')) {
      problems.push({ rule: index, reason: 'GUARD_RAIL: only compliance_officer reads the audit log' });
    }
    if (document.role !== 'clinical_responder' && subjects.includes('ResponderView') && actions.includes('emergency-access')) {
      problems.push({ rule: index, reason: 'GUARD_RAIL: only clinical_responder uses emergency access' });
    }
    if (subjects.some((s) => PROVIDER_RECORDS.has(s)) && (document.role !== 'provider_staff' || !scopedToOwnOrganization(rule))) {
      problems.push({ rule: index, reason: "GUARD_RAIL: patients, enrollments, consents and emergency records only for provider_staff, with organizationKey = ${principal.org}" });
    }
    if ((document.role === 'responder' || document.role === 'clinical_responder') && subjects.some((s) => s !== 'ResponderView')) {
      problems.push({ rule: index, reason: 'GUARD_RAIL: responders get the responder view only: no list or bulk access (C13)' });
    }
    if (subjects.includes('Disclosure') && !scopedToOwnOrganization(rule) && rule.when?.organizationKind !== 'OVERSIGHT') {
      problems.push({ rule: index, reason: 'GUARD_RAIL: the accounting of disclosures only for the own organisation, or for an oversight body' });
    }
    if (subjects.includes('AuditEvent') && !rule.conditions && rule.when?.organizationKind !== 'OVERSIGHT') {
      problems.push({ rule: index, reason: 'GUARD_RAIL: the audit log unscoped only for an oversight body' });
    }
  });
  return problems;
}
