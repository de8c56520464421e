import { AUDIT_ACTIONS } from '../../../web/src/pages/compliance/audit-actions.js';
import { AUDIT_ACTION_WORDS } from './audit-event-description.js';

// The audit log's `Action` filter in the browser app offers the actions in words (a compliance
// officer cannot be expected to know `responderLookup`): its copy must be this table, whole.
describe("the app's Action filter of the audit log", () => {
  it("offers every action the service describes, in the service's words", () => {
    expect(AUDIT_ACTIONS).toEqual(AUDIT_ACTION_WORDS);
  });
});
