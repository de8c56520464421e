import type { ComponentType } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AppConfig } from './auth/app-config';
import type { Session, SessionState, SignedOutReason } from './auth/session';
import { fetchMe, type Me } from './api/me';
import type { PageDefinition, PageProps } from './navigation/page';
import { pagesFor } from './navigation/pages';
import { followLink, usePath } from './navigation/router';

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

const SERVICE = 'crisis-link';

function useSession(session: Session): SessionState {
  const [state, setState] = useState(session.state);
  useEffect(() => session.subscribe(setState), [session]);
  return state;
}

/** Who is signed in, from the API (`me`): fetched again when someone else signs in. */
function useMe(session: Session, state: SessionState): { me?: Me; problem: boolean } {
  const subject = state.status === 'signed-in' ? (state.subject ?? 'signed-in') : undefined;
  const [answer, setAnswer] = useState<{ subject?: string; me?: Me; problem: boolean }>({ problem: false });
  useEffect(() => {
    if (!subject || answer.subject === subject) return;
    let current = true;
    fetchMe(session).then(
      (me) => current && setAnswer({ subject, me, problem: false }),
      () => current && setAnswer({ subject, problem: true }),
    );
    return () => {
      current = false;
    };
  }, [session, subject]);
  return answer.subject === subject || (state.status === 'expired' && answer.me) ? answer : { problem: false };
}

/**
 * The shell: one app for every role. The navigation named "Main" lists the pages the person's
 * roles may open (web/src/pages/<area>/index.ts); `/` is the first of them.
 */
export function App({ session, config }: { session: Session; config: AppConfig }) {
  const state = useSession(session);
  const { me, problem } = useMe(session, state);
  const path = usePath();
  const showApp = (state.status === 'signed-in' || state.status === 'expired') && me;
  const pages = me ? pagesFor(me.roles, me.organization?.kind) : [];
  const page = path === '/' ? pages[0] : pages.find((p) => p.path === path);

  useEffect(() => {
    // The title names the page, never a person (C3).
    document.title = showApp && page ? `${page.title} – ${SERVICE}` : state.status === 'signed-out' ? `Sign in – ${SERVICE}` : SERVICE;
  }, [showApp, page, state.status]);

  return (
    <>
      <a class="skip-link" href="#content">
        Skip to main content
      </a>
      <header class="header">
        <div class="header-bar">
          <span class="service-name">{SERVICE}</span>
          {(state.status === 'signed-in' || state.status === 'expired') && (
            <button type="button" class="button secondary header-button" onClick={() => session.signOut('signed-out')}>
              Sign out
            </button>
          )}
        </div>
        {me && showApp && <WhoAmI me={me} />}
        <nav aria-label="Main">
          <ul>
            {showApp ? (
              pages.filter((p) => !p.unlisted).map((p) => (
                <li key={p.path}>
                  <a href={p.path} onClick={followLink} aria-current={p === page ? 'page' : undefined}>
                    {p.title}
                  </a>
                </li>
              ))
            ) : (
              <li>
                <a href="/" aria-current="page">
                  Home
                </a>
              </li>
            )}
          </ul>
        </nav>
      </header>
      {state.status === 'expired' && <SessionExpired session={session} />}
      <main id="content" tabIndex={-1}>
        {state.status === 'starting' && <p>Loading…</p>}
        {state.status === 'signed-out' && <SignIn session={session} reason={state.reason} idleMinutes={Math.round(config.idleTimeoutSeconds / 60)} />}
        {state.status === 'signed-in' && !me && !problem && <p>Checking who you are…</p>}
        {problem && !me && (
          <div class="notice error" role="alert">
            We could not check who you are. Sign out and sign in again; if it keeps failing, ask your administrator.
          </div>
        )}
        {showApp && (page ? <PageView key={`${page.path}:${me.sub}`} page={page} props={{ session, me, config }} /> : <NoPage path={path} pages={pages} />)}
      </main>
    </>
  );
}

/** Who am I: name, organisation, roles, in one line under the service name. */
function WhoAmI({ me }: { me: Me }) {
  return (
    <section class="who-am-i" aria-labelledby="who-am-i">
      <h2 id="who-am-i" class="visually-hidden">
        Who am I
      </h2>
      <span class="who-name">{me.name}</span>
      <span class="who-organization">{me.organization.name}</span>
      <span class="who-roles">{me.roles.map((r) => ROLE_NAMES[r] ?? r).join(', ')}</span>
    </section>
  );
}

/** The provider ended the session: the page stays as it is (what was typed included) until the person signs in again. */
function SessionExpired({ session }: { session: Session }) {
  const [problem, setProblem] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const signInAgain = () => {
    setProblem(false);
    // Opened in the click itself: browsers allow a new window only then.
    const popup = window.open('about:blank', 'crisis-link-sign-in', 'popup=yes,width=480,height=720');
    session.signInAgain(popup).catch(() => setProblem(true));
  };
  return (
    <div id="session-expired" class="notice error session-expired" role="alert" tabIndex={-1} ref={ref}>
      <p>
        <strong>Your session has ended.</strong> Sign in again to continue. What you typed is kept on this page.
      </p>
      {problem && <p>Signing in again did not complete. Try again.</p>}
      <button type="button" class="button" onClick={signInAgain}>
        Sign in again
      </button>
    </div>
  );
}

function PageView({ page, props }: { page: PageDefinition; props: PageProps }) {
  const [Component, setComponent] = useState<ComponentType<PageProps> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let current = true;
    page.load().then(
      (component) => current && setComponent(() => component),
      () => current && setFailed(true),
    );
    return () => {
      current = false;
    };
  }, [page]);
  if (failed)
    return (
      <div class="notice error" role="alert">
        This page could not be loaded. Check the connection and reload the page.
      </div>
    );
  return Component ? <Component {...props} /> : <p>Loading…</p>;
}

function NoPage({ path, pages }: { path: string; pages: PageDefinition[] }) {
  return (
    <>
      <h1>{path === '/' ? 'Signed in' : 'Page not found'}</h1>
      {path !== '/' && <p>There is no page at this address for your account.</p>}
      {pages.length === 0 ? (
        <p>There are no pages for your role in this app yet.</p>
      ) : (
        <p>
          Go to{' '}
          <a href={pages[0].path} onClick={followLink}>
            {pages[0].title}
          </a>
          .
        </p>
      )}
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
