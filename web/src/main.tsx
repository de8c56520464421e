import { render } from 'preact';
import { App } from './app';
import { loadAppConfig } from './auth/app-config';
import { handBackSignInAgain, isSignInAgainCallback } from './auth/oidc-client';
import { Session } from './auth/session';
import { keepFocusThroughBusyControls } from './navigation/keep-focus';
import './styles.css';

async function main(): Promise<void> {
  const root = document.getElementById('app')!;
  const here = new URL(window.location.href);
  if (isSignInAgainCallback(here)) {
    // This is the second window of a sign-in again: hand the answer to the page that asked, and close.
    window.history.replaceState(null, '', '/');
    handBackSignInAgain(here);
    window.close();
    render(
      <main id="content">
        <h1>Signed in again</h1>
        <p>Go back to the crisis-link window: what you typed is still there.</p>
      </main>,
      root,
    );
    return;
  }
  try {
    const config = await loadAppConfig();
    const session = await Session.start(config);
    keepFocusThroughBusyControls();
    render(<App session={session} config={config} />, root);
  } catch {
    render(
      <main id="content">
        <h1>crisis-link is not available</h1>
        <p>The sign-in service could not be reached. Try again in a minute; if it keeps failing, call your supervisor.</p>
      </main>,
      root,
    );
  }
}

void main();
