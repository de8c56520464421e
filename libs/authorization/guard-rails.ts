import type { PolicyDocument, PolicyRule } from './policy-document.js';
import type { PolicyProblem } from './policy-validation.js';

/** Subjects that hold or reveal patient data, consents or the audit log. */
const PATIENT_DATA = new Set(['Patient', 'Enrollment', 'Consent', 'ResponderView', 'EmergencyDisclosure', 'Disclosure', 'AuditEvent']);

const asList = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/**
 * Rules no policy version may break, checked when a version is published and, for the versions
 * in force, when the service starts:
 * - admin never reads patient data, consents or the audit log;
 * - only compliance_officer reads (or verifies) the audit log;
 * - only clinical_responder uses emergency access (§2.51: medical personnel, C14);
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
  });
  return problems;
}
