import { isAgencyType, isRole, ORGANIZATION_KINDS, ROLE_ORGANIZATION_KINDS, type Role } from '@libs/auth/principal.js';
import { guardRailProblems } from './guard-rails.js';
import type { PolicyDocument, PolicyRule } from './policy-document.js';
import { PLACEHOLDERS, POLICY_VOCABULARY, type SubjectName } from './vocabulary.js';

export interface PolicyProblem {
  /** Index of the offending rule, or null for the document itself. */
  rule: number | null;
  reason: string;
}

const CONDITION_OPERATORS = new Set(['$eq', '$ne', '$in', '$nin']);
const asList = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

function conditionProblems(value: unknown, fields: readonly string[], path: string): string[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [`${path}: conditions must be an object`];
  const problems: string[] = [];
  for (const [key, operand] of Object.entries(value)) {
    if (!fields.includes(key)) {
      problems.push(`${path}: unknown condition field ${key}`);
      continue;
    }
    const values = operand && typeof operand === 'object' && !Array.isArray(operand) ? Object.entries(operand) : [['$eq', operand] as const];
    for (const [operator, argument] of values) {
      if (!CONDITION_OPERATORS.has(operator)) problems.push(`${path}.${key}: operator ${operator} is not allowed`);
      for (const item of Array.isArray(argument) ? argument : [argument]) {
        if (typeof item === 'string' && item.includes('${') && !(PLACEHOLDERS as readonly string[]).includes(item)) {
          problems.push(`${path}.${key}: unknown placeholder`);
        } else if (!['string', 'boolean', 'number'].includes(typeof item)) {
          problems.push(`${path}.${key}: values must be strings, numbers or booleans`);
        }
      }
    }
  }
  return problems;
}

/** `when` names the caller's organisation kind and/or agency type, nothing else. */
function whenProblems(when: Record<string, unknown>, role: unknown): string[] {
  if (!when || typeof when !== 'object' || Array.isArray(when)) return ['when must be an object'];
  const keys = Object.keys(when);
  if (keys.length === 0 || keys.some((k) => k !== 'organizationKind' && k !== 'agencyType')) return ['when may only name organizationKind and agencyType'];
  const problems: string[] = [];
  if (when.organizationKind !== undefined && !(ORGANIZATION_KINDS as readonly string[]).includes(String(when.organizationKind))) {
    problems.push('when.organizationKind is not an organisation kind');
  }
  if (when.agencyType !== undefined) {
    const types = Array.isArray(when.agencyType) ? when.agencyType : [when.agencyType];
    if (types.length === 0 || !types.every(isAgencyType)) problems.push('when.agencyType is not an agency type (or a non-empty list of them)');
    // Only responder agencies have a type: such a rule could never apply anywhere else.
    if (when.organizationKind !== undefined && when.organizationKind !== 'RESPONDER_AGENCY') problems.push('when.agencyType applies only to organizationKind RESPONDER_AGENCY');
    if (isRole(role) && !ROLE_ORGANIZATION_KINDS[role as Role].includes('RESPONDER_AGENCY')) problems.push(`when.agencyType never applies to ${role}: only responder agencies have a type`);
  }
  return problems;
}

function ruleProblems(rule: PolicyRule, role?: unknown): string[] {
  if (!rule || typeof rule !== 'object') return ['rule must be an object'];
  const problems: string[] = [];
  const allowedKeys = new Set(['action', 'subject', 'fields', 'conditions', 'inverted', 'reason', 'when']);
  for (const key of Object.keys(rule)) if (!allowedKeys.has(key)) problems.push(`unknown property ${key}`);
  const subjects = typeof rule.subject === 'string' || Array.isArray(rule.subject) ? asList(rule.subject) : [];
  const actions = typeof rule.action === 'string' || Array.isArray(rule.action) ? asList(rule.action) : [];
  if (subjects.length === 0) problems.push('subject is required');
  if (actions.length === 0) problems.push('action is required');
  if (subjects.includes('all') || actions.includes('manage')) problems.push('no rule may grant everything (manage or all)');
  for (const subject of subjects) {
    const entry = POLICY_VOCABULARY[subject as SubjectName];
    if (!entry) {
      problems.push(`unknown subject ${String(subject)}`);
      continue;
    }
    for (const action of actions) {
      if (!(entry.actions as readonly string[]).includes(action)) problems.push(`action ${String(action)} does not apply to ${subject}`);
    }
    if (rule.fields !== undefined) {
      if (!Array.isArray(rule.fields) || rule.fields.length === 0) problems.push('fields must be a non-empty list');
      else for (const field of rule.fields) if (!(entry.fields as readonly string[]).includes(field)) problems.push(`unknown field ${String(field)} of ${subject}`);
    }
    if (rule.conditions !== undefined) problems.push(...conditionProblems(rule.conditions, entry.fields, 'conditions'));
  }
  if (rule.inverted !== undefined && typeof rule.inverted !== 'boolean') problems.push('inverted must be a boolean');
  if (rule.when !== undefined) problems.push(...whenProblems(rule.when as Record<string, unknown>, role));
  if (rule.reason !== undefined && typeof rule.reason !== 'string') problems.push('reason must be a string');
  return problems;
}

/**
 * Checks a policy document against the policy vocabulary and the guard rails before it may run.
 * Both are reported: a rule outside the vocabulary that also breaks a guard rail (an `$or` around
 * the organisation scope, say) is named as a guard-rail problem too.
 */
export function validatePolicyDocument(document: PolicyDocument): PolicyProblem[] {
  return [...vocabularyProblems(document), ...guardRailProblems(document)];
}

function vocabularyProblems(document: PolicyDocument): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  if (!isRole(document?.role)) problems.push({ rule: null, reason: 'unknown role' });
  if (!Array.isArray(document?.rules)) return [...problems, { rule: null, reason: 'rules must be a list' }];
  document.rules.forEach((rule, index) => {
    for (const reason of ruleProblems(rule, document.role)) problems.push({ rule: index, reason });
  });
  return problems;
}
