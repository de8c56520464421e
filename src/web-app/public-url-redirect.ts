import type { Request, Response } from 'express';

/**
 * Sign-in only works at PUBLIC_URL: the provider returns to `<PUBLIC_URL>/auth/callback`, and the
 * page may connect only to its own origin and the provider's. A developer who opens the app at
 * another address of the same machine (`127.0.0.1` for `localhost`, the host's name) would get a
 * page that cannot reach the sign-in service; outside production they are sent to PUBLIC_URL
 * instead. Returns whether it redirected.
 */
export function redirectToPublicUrl(req: Request, res: Response, publicUrl: string): boolean {
  const host = req.headers.host;
  const wanted = new URL(publicUrl);
  if (!host || host.toLowerCase() === wanted.host.toLowerCase()) return false;
  res.setHeader('Cache-Control', 'no-store');
  res.redirect(302, `${wanted.origin}${req.originalUrl.startsWith('/') ? req.originalUrl : '/'}`);
  return true;
}
