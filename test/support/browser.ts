/** Debian's Chromium through playwright-core, for the status site's browser tests. */
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env['COSELL_CHROMIUM'] ?? '/usr/bin/chromium';

/** A headless browser and a page that sends `headers` with every request (e.g. the admin bearer token). */
export async function openPage(args: { headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const context = await browser.newContext(args.headers ? { extraHTTPHeaders: args.headers } : {});
  const page = await context.newPage();
  page.setDefaultTimeout(args.timeoutMs ?? 10_000);
  return { browser, page };
}
