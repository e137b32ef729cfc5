/// <reference lib="dom" />
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CONSOLE_DIR } from '../../src/console/console-static';

/** Debian's chromium package; never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const RESULTS_DIR = join(process.cwd(), 'test-results');

/** Why the browser tests cannot run here, or null when they can. */
export function browserUnavailable(): string | null {
  if (!existsSync(CHROMIUM)) return `no browser at ${CHROMIUM} (apt-get install -y chromium; .ci/run does it)`;
  if (!existsSync(join(CONSOLE_DIR, 'index.html'))) return `the console is not built (${CONSOLE_DIR}); run npm run build`;
  return null;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A page that records what the console must never do: log a console error,
 * throw, or answer a request with 5xx. Expected 4xx answers (an import's 400)
 * are declared with `expectStatus`.
 */
export class WatchedPage {
  readonly problems: string[] = [];
  readonly requests: string[] = [];
  private readonly expected = new Set<string>();

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('pageerror', (e) => this.problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      // Chromium logs every 4xx fetch as "Failed to load resource"; those we expect are declared
      const status = /status of (\d{3})/.exec(m.text())?.[1];
      if (status && this.expected.has(status)) return;
      this.problems.push(`console error: ${m.text()} (${m.location().url})`);
    });
    page.on('request', (r) => this.requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
    if (process.env.BROWSER_DEBUG) {
      const t0 = Date.now();
      page.on('requestfinished', (r) => console.log(`${Date.now() - t0} ms ${r.method()} ${r.url()} ${Math.round(r.timing().responseEnd)} ms`));
    }
    page.on('response', (r) => {
      if (r.status() >= 500) this.problems.push(`${r.status()} from ${r.request().method()} ${r.url()}`);
    });
  }

  static async open(browser: Browser, baseURL: string, width = 1280): Promise<WatchedPage> {
    const context = await browser.newContext({ baseURL, viewport: { width, height: 900 }, locale: 'en-US', timezoneId: 'UTC' });
    return new WatchedPage(context, await context.newPage());
  }

  expectStatus(status: number): void {
    this.expected.add(String(status));
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** axe-core's serious and critical violations of the page as it is now (axe injected through the DevTools protocol, so the CSP stays on). */
export async function axeViolations(page: Page): Promise<string[]> {
  const source = readFileSync(join(process.cwd(), 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await page.evaluate(source);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: unknown }> }> }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: join(RESULTS_DIR, `${name}.png`), fullPage: true });
}

/**
 * What sticks out past the viewport's right edge (the page would scroll
 * sideways); empty when the page fits. Scrollable table regions may be wider inside.
 */
export async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      if (el.parentElement?.closest('.table-wrap')) continue;
      const r = el.getBoundingClientRect();
      if (r.right > window.innerWidth + 1) out.push(`${el.tagName.toLowerCase()}.${(el.getAttribute('class') ?? '').replace(/ /g, '.')} right=${Math.round(r.right)}`);
    }
    if (document.documentElement.scrollWidth > window.innerWidth + 1) out.unshift(`document ${document.documentElement.scrollWidth}px wide`);
    return out.slice(0, 8);
  });
}
