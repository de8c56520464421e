import chromium from '@sparticuz/chromium';
import { type Browser, chromium as playwright } from 'playwright-core';

/**
 * A real headless Chromium from the npm package @sparticuz/chromium (no system browser, no
 * download), driven by playwright-core. Its default flags switch off the same-origin policy and
 * allow mixed content: both are dropped, so CORS and origin mistakes fail here as in a real browser.
 */
export async function launchBrowser(): Promise<Browser> {
  const args = chromium.args.filter((a) => !a.startsWith('--disable-web-security') && !a.startsWith('--allow-running-insecure-content'));
  return playwright.launch({ executablePath: await chromium.executablePath(), args, headless: true });
}
