import type { AppConfig } from './app-config';
import { OidcClient, ProviderUnreachableError, type Tokens } from './oidc-client';

/** Why the person is looking at the sign-in screen. */
export type SignedOutReason = 'idle' | 'signed-out' | 'expired' | 'failed';

/**
 * `expired`: the provider refused to refresh (its session ended). The page stays as it is, with
 * what was typed, and offers to sign in again in a second window; only idleness clears it.
 */
export type SessionState =
  | { status: 'starting' }
  | { status: 'signed-out'; reason?: SignedOutReason }
  | { status: 'signed-in'; version: number; subject?: string }
  | { status: 'expired' };

/** The session has ended and the person must sign in again (the page keeps what was typed). */
export class SessionExpiredError extends Error {}
/** The network is down: nothing was refused, nothing was sent. */
export class OfflineError extends Error {}

const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;
const TICK_MS = 1000;
const REASONS: readonly string[] = ['idle', 'signed-out', 'expired', 'failed'];

/**
 * The signed-in person's tokens, in this object's memory and nowhere else: a reload or a closed
 * tab forgets them. While the person is active the access token is refreshed before it expires;
 * after `idleTimeoutSeconds` without a key press, click, touch or pointer movement the app signs
 * out and ends the provider's session too (automatic logoff, HIPAA 164.312(a)(2)(iii)).
 */
export class Session {
  private tokens?: Tokens;
  private lastSubject?: string;
  private lastIdToken?: string;
  private lastActivity = Date.now();
  private refreshing?: Promise<Tokens>;
  private timer?: ReturnType<typeof setInterval>;
  private listeners = new Set<(state: SessionState) => void>();
  state: SessionState = { status: 'starting' };

  private constructor(
    private readonly config: AppConfig,
    private readonly oidc: OidcClient,
  ) {}

  static async start(config: AppConfig): Promise<Session> {
    const session = new Session(config, await OidcClient.discover(config));
    await session.resume();
    return session;
  }

  subscribe(listener: (state: SessionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  signIn(): Promise<never> {
    return this.oidc.signIn();
  }

  /** Forgets the tokens at once, then ends the provider's session (it redirects back to `/`). */
  signOut(reason: SignedOutReason = 'signed-out'): void {
    const idToken = this.tokens?.idToken ?? this.lastIdToken;
    this.forget(reason);
    window.location.assign(this.oidc.endSessionUrl(idToken, reason));
  }

  /** A valid access token for the API, refreshed first when it is about to expire. */
  async accessToken(): Promise<string> {
    if (!this.tokens) throw new SessionExpiredError('signed out');
    if (Date.now() >= this.refreshDue(this.tokens)) await this.refresh();
    return this.tokens!.accessToken;
  }

  /** Asks for new tokens now (after the API answered that the access token expired). */
  async refresh(): Promise<void> {
    if (!this.tokens) throw new SessionExpiredError('signed out');
    const current = this.tokens;
    this.refreshing ??= this.oidc.refresh(current).finally(() => (this.refreshing = undefined));
    try {
      this.tokens = await this.refreshing;
      this.publish({ status: 'signed-in', version: this.version() + 1, subject: this.tokens.subject });
    } catch (error) {
      // No network: nothing was refused; the access token may still be good for a while.
      if (error instanceof ProviderUnreachableError) throw new OfflineError('offline');
      // A refused refresh (the provider ended the session, or it is too old) ends ours too, but
      // the page keeps what was typed until the person signs in again (or is idle too long).
      if (this.tokens === current) this.expire();
      throw new SessionExpiredError('the provider refused to refresh');
    }
  }

  /**
   * Signs in again in a second window after the session expired, keeping this page as it is.
   * `popup` is opened by the click that asked (a browser allows a window only then); without it
   * (pop-ups blocked) the ordinary sign-in replaces the page.
   */
  async signInAgain(popup: Window | null): Promise<void> {
    if (!popup) {
      await this.oidc.signIn();
      return;
    }
    const before = this.lastSubject;
    const tokens = await this.oidc.signInAgain(popup);
    this.tokens = tokens;
    this.lastActivity = Date.now();
    this.lastSubject = tokens.subject;
    this.watch();
    // Someone else signed in: a new subject makes pages start afresh (what was typed is not theirs).
    this.publish({ status: 'signed-in', version: this.version() + 1, subject: before === tokens.subject ? before : tokens.subject });
  }

  private async resume(): Promise<void> {
    const here = new URL(window.location.href);
    if (here.origin !== new URL(this.config.publicUrl).origin) {
      // Tokens and the callback belong to PUBLIC_URL: go there first.
      window.location.replace(new URL(here.pathname, this.config.publicUrl).href);
      return;
    }
    if (here.pathname === '/auth/callback') {
      // The code and state leave the address bar before anything else happens.
      window.history.replaceState(null, '', '/');
      try {
        this.tokens = await this.oidc.completeSignIn(here);
      } catch {
        this.publish({ status: 'signed-out', reason: 'failed' });
        return;
      }
      this.lastActivity = Date.now();
      this.lastSubject = this.tokens.subject;
      this.watch();
      this.publish({ status: 'signed-in', version: 1, subject: this.tokens.subject });
      return;
    }
    const returned = here.searchParams.get('state');
    if (returned !== null) window.history.replaceState(null, '', here.pathname);
    this.publish({ status: 'signed-out', reason: returned && REASONS.includes(returned) ? (returned as SignedOutReason) : undefined });
  }

  private watching = false;

  private watch(): void {
    if (!this.watching) {
      this.watching = true;
      const active = () => {
        this.lastActivity = Date.now();
      };
      for (const name of ACTIVITY_EVENTS) window.addEventListener(name, active, { capture: true, passive: true });
      // A tab that slept (timers paused) checks at once when it is seen again.
      document.addEventListener('visibilitychange', () => this.tick());
    }
    if (!this.timer) this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  private tick(): void {
    // An expired session still signs out when idle: what the page keeps is cleared then too.
    if (this.state.status === 'expired' && Date.now() - this.lastActivity >= this.config.idleTimeoutSeconds * 1000) {
      this.signOut('idle');
      return;
    }
    if (!this.tokens) return;
    if (Date.now() - this.lastActivity >= this.config.idleTimeoutSeconds * 1000) {
      this.signOut('idle');
      return;
    }
    if (Date.now() >= this.refreshDue(this.tokens) && !this.refreshing) this.refresh().catch(() => {});
  }

  /** Refresh a minute before expiry, or at 80% of a short lifetime. */
  private refreshDue(tokens: Tokens): number {
    return tokens.expiresAt - Math.min(60_000, tokens.lifetimeMs * 0.2);
  }

  private expire(): void {
    // Kept for the provider's logout (id_token_hint) should the person go idle now.
    this.lastIdToken = this.tokens?.idToken;
    this.tokens = undefined;
    this.publish({ status: 'expired' });
  }

  private forget(reason: SignedOutReason): void {
    this.tokens = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.publish({ status: 'signed-out', reason });
  }

  private version(): number {
    return this.state.status === 'signed-in' ? this.state.version : 0;
  }

  private publish(state: SessionState): void {
    this.state = state;
    for (const listener of this.listeners) listener(state);
  }
}
