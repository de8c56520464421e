import { POLICY_VOCABULARY } from '../../../../libs/authorization/vocabulary';
import { POLICY_SUBJECTS, SUBJECT_WORDS } from './policy-vocabulary';

describe("the app's copy of the policy vocabulary", () => {
  it("is the service's vocabulary, subject by subject", () => {
    const service = Object.fromEntries(Object.entries(POLICY_VOCABULARY).map(([subject, entry]) => [subject, { actions: [...entry.actions], fields: [...entry.fields] }]));
    const app = Object.fromEntries(Object.entries(POLICY_SUBJECTS).map(([subject, entry]) => [subject, { actions: [...entry.actions], fields: [...entry.fields] }]));
    expect(app).toEqual(service);
  });

  it('has every subject in words for the Explain form', () => {
    expect(Object.keys(SUBJECT_WORDS).sort()).toEqual(Object.keys(POLICY_SUBJECTS).sort());
  });
});
