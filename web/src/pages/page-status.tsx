/**
 * A page's live status line ("Working…" while a request runs, then what it did) and its problem,
 * if any, as an alert: the same two lines at the top of every page that changes something.
 */
export function PageStatus({ busy, status, problem }: { busy: boolean; status: string; problem: string }) {
  return (
    <>
      <p class="status" role="status">
        {busy ? 'Working…' : status}
      </p>
      {problem && (
        <p class="notice error" role="alert">
          {problem}
        </p>
      )}
    </>
  );
}
