import { render } from 'preact';
import { App } from './app';
import { loadAppConfig } from './auth/app-config';
import { Session } from './auth/session';
import './styles.css';

async function main(): Promise<void> {
  const root = document.getElementById('app')!;
  try {
    const config = await loadAppConfig();
    const session = await Session.start(config);
    render(<App session={session} idleMinutes={Math.round(config.idleTimeoutSeconds / 60)} />, root);
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
