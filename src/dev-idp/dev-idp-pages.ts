/**
 * The development provider's pages: plain HTML with no inline script or style, so they run under
 * the same strict Content-Security-Policy as the app (script-src 'self').
 */
export interface DemoPerson {
  sub: string;
  name: string;
  role: string;
  organizationName: string;
}

export const DEV_IDP_PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(assets: string, title: string, body: string, scripts: string[] = []): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${assets}/dev-idp.css">
${scripts.map((s) => `<script src="${assets}/${s}" defer></script>`).join('\n')}
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

export function loginPage(assets: string, action: string, abort: string, people: DemoPerson[]): string {
  const items = people
    .map(
      (p) => `<li>
  <button type="submit" name="sub" value="${escapeHtml(p.sub)}" aria-describedby="who-${escapeHtml(p.sub)}">${escapeHtml(p.name)}</button>
  <span id="who-${escapeHtml(p.sub)}">${escapeHtml(p.role.replace(/_/g, ' '))} at ${escapeHtml(p.organizationName)}</span>
</li>`,
    )
    .join('\n');
  return page(
    assets,
    'Development sign-in',
    `<h1>Development sign-in</h1>
<p class="warning">This sign-in exists only on a development machine. It never runs in production.</p>
<p>Choose a demo person. There is no password; the provider tells the service that the person used multi-factor authentication.</p>
<form method="post" action="${escapeHtml(action)}">
<ul class="people">
${items}
</ul>
</form>
<form method="post" action="${escapeHtml(abort)}">
<button type="submit" class="secondary">Cancel</button>
</form>`,
  );
}

/** RP-initiated logout: oidc-provider's confirmation form, submitted by a script file at once. */
export function logoutPage(assets: string, form: string): string {
  return page(
    assets,
    'Signing out',
    `<h1>Signing out</h1>
${form}
<p>You are being signed out of the development identity provider.</p>
<button type="submit" form="op.logoutForm" name="logout" value="yes" id="confirm-sign-out">Sign out</button>`,
    ['sign-out.js'],
  );
}

export function signedOutPage(assets: string): string {
  return page(assets, 'Signed out', '<h1>Signed out</h1>\n<p>You are signed out of the development identity provider.</p>');
}

export function errorPage(assets: string, error: string, description: string | undefined): string {
  return page(
    assets,
    'Sign-in problem',
    `<h1>Sign-in problem</h1>
<p>The development identity provider could not complete this request: <code>${escapeHtml(error)}</code>${description ? ` (${escapeHtml(description)})` : ''}.</p>`,
  );
}

export const DEV_IDP_STYLESHEET = `body{font-family:system-ui,sans-serif;line-height:1.5;margin:0;color:#0b0c0c;background:#fff}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.75rem}
.warning{border-left:.3rem solid #b58105;padding-left:.75rem}
.people{list-style:none;padding:0}
.people li{margin:0 0 .75rem}
button{font:inherit;font-weight:600;min-height:2.75rem;padding:.4rem 1rem;border:2px solid #00703c;background:#00703c;color:#fff;border-radius:0;cursor:pointer}
button.secondary{background:#f3f2f1;color:#0b0c0c;border-color:#505a5f}
button:focus-visible{outline:3px solid #fd0;outline-offset:0;box-shadow:0 0 0 6px #0b0c0c}
.people span{display:block;color:#505a5f}
`;

/** Confirms the RP-initiated logout without a second click (the app already asked "Sign out"). */
export const DEV_IDP_SIGN_OUT_SCRIPT = `document.getElementById('confirm-sign-out')?.click();\n`;
