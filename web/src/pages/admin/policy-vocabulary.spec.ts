import { POLICY_VOCABULARY } from '../../../../libs/authorization/vocabulary';
import { POLICY_SUBJECTS } from './policy-vocabulary';

describe("the app's copy of the policy vocabulary", () => {
  it("is the service's vocabulary, subject by subject", () => {
    const service = Object.fromEntries(Object.entries(POLICY_VOCABULARY).map(([subject, entry]) => [subject, { actions: [...entry.actions], fields: [...entry.fields] }]));
    const app = Object.fromEntries(Object.entries(POLICY_SUBJECTS).map(([subject, entry]) => [subject, { actions: [...entry.actions], fields: [...entry.fields] }]));
    expect(app).toEqual(service);
  });
});
