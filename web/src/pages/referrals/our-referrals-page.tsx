import { useEffect, useState } from 'preact/hooks';
import { graphql } from '../../api/graphql';
import { followLink } from '../../navigation/router';
import type { PageProps } from '../../navigation/page';
import { problemText } from '../provider/problems';
import { labelOf, OUTCOMES, REASONS, STATUSES, URGENCIES } from './referral-words';
import { type ReferralSummaryFragment, ReferralsDocument } from './referrals.generated';
import './referrals.css';

const PAGE = 50;

/**
 * The referrals the responder's agency made, newest first: reason, urgency, incident number, the
 * status (received or closed) and, where the patient's consent lets the agency know, the outcome.
 * Never the person's details (docs/partnerships.md).
 */
export function OurReferralsPage({ session }: PageProps) {
  const [items, setItems] = useState<ReferralSummaryFragment[] | undefined>();
  const [next, setNext] = useState<string | null>(null);
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);

  const load = async (after?: string) => {
    setBusy(true);
    setProblem('');
    try {
      const page = (await graphql(session, ReferralsDocument, { first: PAGE, after })).referrals;
      setItems((current) => [...(after ? (current ?? []) : []), ...page.nodes]);
      setNext(page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null);
    } catch (error) {
      setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => void load(), [session]);

  return (
    <>
      <h1>Our referrals</h1>
      <p>
        What your agency referred, newest first. The outcome is shown only where the person's consent lets your agency know; otherwise you see that the referral was received or
        closed.
      </p>
      <p>
        <a href="/refer" onClick={followLink} class="button">
          Refer a person
        </a>
      </p>
      {problem && (
        <div class="error-summary" role="alert">
          <h2>There is a problem</h2>
          <p>{problem}</p>
        </div>
      )}
      {busy && <p role="status">Loading…</p>}
      {items?.length === 0 && <p>Your agency has made no referrals yet.</p>}
      {items?.map((r) => (
        <section class="referral-card" key={r.id} aria-labelledby={`referral-${r.id}`}>
          <h2 id={`referral-${r.id}`}>
            {labelOf(REASONS, r.reason)}, {r.incidentNumber}
          </h2>
          <dl>
            <dt>Made</dt>
            <dd>{new Date(r.createdAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}</dd>
            <dt>Provider</dt>
            <dd>{r.provider.name}</dd>
            <dt>Urgency</dt>
            <dd>{labelOf(URGENCIES, r.urgency)}</dd>
            <dt>Status</dt>
            <dd>{STATUSES[r.status]}</dd>
            <dt>Outcome</dt>
            <dd>{r.outcome ? `${labelOf(OUTCOMES, r.outcome)}${r.outcomeOccurredOn ? ` (${r.outcomeOccurredOn})` : ''}` : 'Not shared'}</dd>
          </dl>
        </section>
      ))}
      {next && (
        <button type="button" class="button secondary" onClick={() => void load(next)}>
          Show more
        </button>
      )}
    </>
  );
}
