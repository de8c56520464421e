import { useState } from 'preact/hooks';
import { graphql } from '../../api/graphql';
import type { PageProps } from '../../navigation/page';
import { type Problem, problemsOf, problemText, ruleText } from '../provider/problems';
import { localToday } from './referral-words';
import { type AgencyReportQuery, AgencyReportDocument, type CountFragment } from './referrals.generated';
import './referrals.css';

type Report = AgencyReportQuery['agencyReport'];
const LABELS = { from: 'From', to: 'To' } as const;

const ROWS: Array<[keyof Omit<Report['months'][number], 'month'>, string]> = [
  ['referralsMade', 'Referrals made'],
  ['referralsAccepted', 'Accepted'],
  ['outcomesShared', 'With an outcome shared'],
  ['referralsEngaged', 'Engaged in care'],
  ['lookupsMade', 'Lookups made'],
  ['lookupsWithInformation', 'Lookups that found information'],
];

/** Parts of the referrals made: hidden also when nearly all of them are (complementary suppression), so not "fewer than 11". */
const PARTS = new Set<string>(['referralsAccepted', 'outcomesShared', 'referralsEngaged']);
const count = (c: CountFragment, key: string) => (c.suppressed ? (PARTS.has(key) ? 'Not shown' : 'Fewer than 11') : String(c.value ?? 0));

function monthName(month: string): string {
  return new Date(`${month}-01T00:00:00Z`).toLocaleDateString(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/**
 * The agency's monthly feedback report, for every member of the agency: counts only, never a
 * person; a count from 1 to 10 is shown as "Fewer than 11" (small-cell suppression), and accepted,
 * shared or engaged as "Not shown" also when they are all or nearly all of the referrals made.
 */
export function AgencyReportPage({ session }: PageProps) {
  const today = localToday();
  const [values, setValues] = useState({ from: `${today.slice(0, 4)}-01-01`, to: today });
  const [report, setReport] = useState<Report | undefined>();
  const [problems, setProblems] = useState<Problem[]>([]);
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);

  const show = async (event: Event) => {
    event.preventDefault();
    setProblem('');
    setProblems([]);
    const missing = (['from', 'to'] as const).filter((f) => !values[f]).map((field) => ({ field, rule: 'REQUIRED' }));
    if (missing.length) return setProblems(missing);
    setBusy(true);
    try {
      setReport((await graphql(session, AgencyReportDocument, values)).agencyReport);
    } catch (error) {
      const found = problemsOf(error);
      if (found.length) setProblems(found);
      else setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  };

  const field = (name: 'from' | 'to') => {
    const error = problems.find((p) => p.field === name);
    return (
      <div class={error ? 'field field-error-state' : 'field'}>
        <label for={`report-${name}`}>{LABELS[name]}</label>
        {error && (
          <p class="field-error" id={`report-${name}-error`}>
            <span class="visually-hidden">Error: </span>
            {error.rule === 'TOO_MANY' ? 'Choose at most 24 months' : ruleText(LABELS[name], error)}
          </p>
        )}
        <input id={`report-${name}`} type="date" value={values[name]} onInput={(e) => setValues({ ...values, [name]: (e.currentTarget as HTMLInputElement).value })} aria-describedby={error ? `report-${name}-error` : undefined} aria-invalid={error ? true : undefined} />
      </div>
    );
  };

  return (
    <>
      <h1>Monthly report</h1>
      <p>Your agency's referrals and lookups, month by month. Counts only, never a person: a count from 1 to 10 is shown as "Fewer than 11"; accepted, shared or engaged is "Not shown" when it is small or is all or nearly all of the referrals made.</p>
      {(problem || problems.length > 0) && (
        <div class="error-summary" role="alert">
          <h2>There is a problem</h2>
          {problem ? <p>{problem}</p> : <ul>{problems.map((p) => <li key={p.field}>{p.rule === 'TOO_MANY' ? 'Choose at most 24 months' : ruleText(LABELS[p.field as 'from'] ?? p.field, p)}</li>)}</ul>}
        </div>
      )}
      <form onSubmit={show} noValidate>
        {field('from')}
        {field('to')}
        <div class="actions">
          <button type="submit" class="button" disabled={busy}>
            Show report
          </button>
        </div>
      </form>
      {report && (
        <div class="table-scroll" role="region" aria-labelledby="report-caption" tabIndex={0}>
          <table class="report-table">
            <caption id="report-caption">
              Counts per month, {report.from} to {report.to}
            </caption>
            <thead>
              <tr>
                <th scope="col">Month</th>
                {ROWS.map(([, label]) => (
                  <th scope="col" key={label}>
                    {label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.months.map((m) => (
                <tr key={m.month}>
                  <th scope="row">{monthName(m.month)}</th>
                  {ROWS.map(([key, label]) => (
                    <td key={label}>{count(m[key], key)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
