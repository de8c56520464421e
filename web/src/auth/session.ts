import type { AppConfig } from './app-config';
import { OidcClient, type Tokens } from './oidc-client';

/** Why the person is looking at the sign-in screen. */
export type SignedOutReason = 'idle' | 'signed-out' | 'expired' | 'failed';

export type SessionState = { status: 'starting' } | { status: 'signed-out'; reason?: SignedOutReason } | { status: 'signed-in'; version: number };

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
    const idToken = this.tokens?.idToken;
    this.forget(reason);
    window.location.assign(this.oidc.endSessionUrl(idToken, reason));
  }

  /** A valid access token for the API, refreshed first when it is about to expire. */
  async accessToken(): Promise<string> {
    if (!this.tokens) throw new Error('signed out');
    if (Date.now() >= this.refreshDue(this.tokens)) await this.refresh();
    return this.tokens!.accessToken;
  }

  /** Asks for new tokens now (after the API answered that the access token expired). */
  async refresh(): Promise<void> {
    if (!this.tokens) throw new Error('signed out');
    const current = this.tokens;
    this.refreshing ??= this.oidc.refresh(current).finally(() => (this.refreshing = undefined));
    try {
      this.tokens = await this.refreshing;
      this.publish({ status: 'signed-in', version: this.version() + 1 });
    } catch (error) {
      // A refused refresh (the provider ended the session, or it is too old) ends ours too.
      if (this.tokens === current) this.signOut('expired');
      throw error;
    }
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
      this.watch();
      this.publish({ status: 'signed-in', version: 1 });
      return;
    }
    const returned = here.searchParams.get('state');
    if (returned !== null) window.history.replaceState(null, '', here.pathname);
    this.publish({ status: 'signed-out', reason: returned && REASONS.includes(returned) ? (returned as SignedOutReason) : undefined });
  }

  private watch(): void {
    const active = () => {
      this.lastActivity = Date.now();
    };
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, active, { capture: true, passive: true });
    // A tab that slept (timers paused) checks at once when it is seen again.
    document.addEventListener('visibilitychange', () => this.tick());
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  private tick(): void {
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
