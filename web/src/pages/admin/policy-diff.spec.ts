import { policyDiff, ruleInWords, type Rule } from './policy-diff';

const OWN_LOG: Rule = { action: ['read', 'verify'], subject: 'AuditEvent', conditions: { actorOrganizationKey: '${principal.org}' } };
const ALL_LOGS: Rule = { action: ['read', 'verify'], subject: 'AuditEvent', when: { organizationKind: 'OVERSIGHT' } };
const EXPLAIN: Rule = { action: 'explain', subject: 'AccessPolicy' };
const SELF: Rule = { action: 'read', subject: 'Self' };

describe("a policy's rules in words, and the difference between two versions", () => {
  it('says a rule in words: actions, subjects, fields, rows, the kind of organisation, a rule that takes away', () => {
    expect(ruleInWords(OWN_LOG)).toBe('May read, verify AuditEvent where actorOrganizationKey is their own organisation.');
    expect(ruleInWords(ALL_LOGS)).toBe('May read, verify AuditEvent only in an oversight body.');
    expect(ruleInWords({ action: 'lookup', subject: 'ResponderView', fields: ['programName', 'inTreatment'] })).toBe('May lookup ResponderView (fields programName, inTreatment).');
    expect(ruleInWords({ action: 'read', subject: 'Patient', inverted: true, conditions: { organizationKey: { $ne: '${principal.org}' } }, reason: 'no' })).toBe(
      'May not read Patient where organizationKey is not their own organisation. Note: no',
    );
  });

  it('finds nothing between equal versions, whatever the order of keys', () => {
    const reordered = { subject: 'AuditEvent', conditions: { actorOrganizationKey: '${principal.org}' }, action: ['read', 'verify'] } as Rule;
    expect(policyDiff([OWN_LOG, SELF], [reordered, SELF])).toEqual({ added: [], removed: [], changed: [], unchanged: 2 });
  });

  it('tells added and removed rules apart from changed ones (same subject), and says what changed', () => {
    const narrower: Rule = { action: 'read', subject: 'AuditEvent', conditions: { actorOrganizationKey: '${principal.org}' } };
    const diff = policyDiff([OWN_LOG, EXPLAIN, SELF], [narrower, SELF, ALL_LOGS, { action: 'read', subject: 'Disclosure', when: { organizationKind: 'OVERSIGHT' } }]);
    expect(diff.unchanged).toBe(1);
    expect(diff.removed).toEqual([EXPLAIN]);
    expect(diff.changed).toEqual([{ before: OWN_LOG, after: narrower, differences: ['actions: removed verify'] }]);
    expect(diff.added).toEqual([ALL_LOGS, { action: 'read', subject: 'Disclosure', when: { organizationKind: 'OVERSIGHT' } }]);
  });

  it('names each kind of change', () => {
    const before: Rule = { action: 'lookup', subject: 'ResponderView', fields: ['programName'] };
    const after: Rule = { action: ['lookup', 'emergency-access'], subject: 'ResponderView', fields: ['programName', 'careTeam'], when: { organizationKind: 'RESPONDER_AGENCY' }, inverted: true };
    expect(policyDiff([before], [after]).changed[0].differences).toEqual([
      'actions: added emergency-access',
      'fields',
      'the kind of organisation it applies in',
      'now takes away instead of granting',
    ]);
  });

  it('keeps a rule that appears twice in one version and once in the other as one removed', () => {
    expect(policyDiff([SELF, SELF], [SELF])).toEqual({ added: [], removed: [SELF], changed: [], unchanged: 1 });
  });
});
