import chromium from '@sparticuz/chromium';
import { type Browser, chromium as playwright } from 'playwright-core';

/**
 * A real headless Chromium from the npm package @sparticuz/chromium (no system browser, no
 * download), driven by playwright-core. Its default flags switch off the same-origin policy and
 * allow mixed content: both are dropped, so CORS and origin mistakes fail here as in a real browser.
 * It is made for a cloud function and runs as one process, where closing a browser context ends
 * the whole browser: the tests run it as a desktop browser does (a process per site), so each test
 * can have contexts of its own.
 */
export async function launchBrowser(): Promise<Browser> {
  const dropped = ['--disable-web-security', '--allow-running-insecure-content', '--single-process', '--no-zygote', '--disable-site-isolation-trials'];
  const args = chromium.args
    .filter((a) => !dropped.some((flag) => a.startsWith(flag)))
    .filter((a) => !a.startsWith('--disable-features=AudioServiceOutOfProcess,IsolateOrigins'));
  return playwright.launch({ executablePath: await chromium.executablePath(), args, headless: true });
}
