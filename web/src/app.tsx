import { useEffect, useState } from 'preact/hooks';
import type { Session, SessionState, SignedOutReason } from './auth/session';
import { fetchMe, type Me } from './api/me';

const ROLE_NAMES: Record<string, string> = {
  responder: 'Responder',
  clinical_responder: 'Clinical responder',
  provider_staff: 'Provider staff',
  compliance_officer: 'Compliance officer',
  admin: 'Administrator',
};

const SIGNED_OUT_MESSAGES: Record<SignedOutReason, string> = {
  idle: 'You were signed out because there was no activity for a while. Sign in again to continue.',
  'signed-out': 'You have signed out.',
  expired: 'Your session has ended. Sign in again to continue.',
  failed: 'Sign-in did not complete. Try again; if it keeps failing, ask your administrator.',
};

function useSession(session: Session): SessionState {
  const [state, setState] = useState(session.state);
  useEffect(() => session.subscribe(setState), [session]);
  return state;
}

/** The shell: one app for every role; later issues add each role's pages to the `Main` navigation. */
export function App({ session, idleMinutes }: { session: Session; idleMinutes: number }) {
  const state = useSession(session);
  const signedIn = state.status === 'signed-in';
  return (
    <>
      <a class="skip-link" href="#content">
        Skip to main content
      </a>
      <header class="header">
        <span class="service-name">crisis-link</span>
        <nav aria-label="Main">
          <ul>
            <li>
              <a href="/" aria-current="page">
                Home
              </a>
            </li>
          </ul>
        </nav>
        {signedIn && (
          <button type="button" class="button secondary" onClick={() => session.signOut('signed-out')}>
            Sign out
          </button>
        )}
      </header>
      <main id="content" tabIndex={-1}>
        {state.status === 'starting' && <p>Loading…</p>}
        {state.status === 'signed-out' && <SignIn session={session} reason={state.reason} idleMinutes={idleMinutes} />}
        {state.status === 'signed-in' && <WhoAmI session={session} />}
      </main>
    </>
  );
}

function SignIn({ session, reason, idleMinutes }: { session: Session; reason?: SignedOutReason; idleMinutes: number }) {
  return (
    <>
      <h1>Sign in</h1>
      {reason && (
        <div class={reason === 'failed' ? 'notice error' : 'notice'} role="status">
          {SIGNED_OUT_MESSAGES[reason]}
        </div>
      )}
      <p>Sign in with your organisation's account. You will be signed out after {idleMinutes} minutes without activity.</p>
      <button type="button" class="button" onClick={() => void session.signIn()}>
        Sign in
      </button>
    </>
  );
}

function WhoAmI({ session }: { session: Session }) {
  const [me, setMe] = useState<Me | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    fetchMe(session).then(
      (answer) => current && setMe(answer),
      () => current && setProblem('We could not check who you are. Sign out and sign in again; if it keeps failing, ask your administrator.'),
    );
    return () => {
      current = false;
    };
  }, [session]);
  return (
    <>
      <h1>Signed in</h1>
      <section aria-labelledby="who-am-i">
        <h2 id="who-am-i">Who am I</h2>
        {problem && (
          <div class="notice error" role="alert">
            {problem}
          </div>
        )}
        {!me && !problem && <p>Checking…</p>}
        {me && (
          <dl class="summary">
            <dt>Name</dt>
            <dd>{me.name}</dd>
            <dt>Organisation</dt>
            <dd>{me.organization.name}</dd>
            <dt>Roles</dt>
            <dd>{me.roles.map((r) => ROLE_NAMES[r] ?? r).join(', ')}</dd>
          </dl>
        )}
      </section>
    </>
  );
}
