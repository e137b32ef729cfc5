/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { DEMO_ADMIN, DEMO_USER } from '../../src/database/demo-data';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { axeViolations, browserUnavailable, launchBrowser, overflowing, screenshot, signIn, WatchedPage } from './browser-harness';

/**
 * The web console in a real headless Chromium (Debian's package) against the
 * real app on PostgreSQL with the demo book seeded, serving the built console.
 * Skipped, with the reason, where there is no browser.
 */
const unavailable = browserUnavailable();
if (unavailable) {
  // eslint-disable-next-line no-console
  console.warn(`Browser tests skipped: ${unavailable}`);
}
const suite = unavailable ? describe.skip : describe;

const BAD_CSV = 'symbol,quantity,entry_price,entry_date\nAAPL,10,150,2024-03-01\nMSFT,abc,300,2024-03-01\n';

suite('web console (browser)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let user: WatchedPage;

  beforeAll(async () => {
    t = await startTestApp({ SEED_DEMO_DATA: 'true' });
    await t.app.listen(0, '127.0.0.1');
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchBrowser();
    user = await WatchedPage.open(browser, base);
  }, 60_000);

  afterAll(async () => {
    await user?.close();
    await browser?.close();
    await t?.close();
  });

  it('serves the console at / with its CSP, and client routes fall back to it', async () => {
    const root = await fetch(`${base}/`, { headers: { Accept: 'text/html' } });
    expect(root.status).toBe(200);
    expect(root.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(root.headers.get('cache-control')).toBe('no-cache');
    const html = await root.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1];
    const js = await fetch(`${base}${asset}`);
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${base}/portfolios/00000000-0000-4000-8000-000000000000`, { headers: { Accept: 'text/html' } })).status).toBe(200);
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${base}/api/v1/portfolio`)).status).toBe(401);
  });

  it('signs the demo user in and lists the portfolios', async () => {
    const { page } = user;
    await page.goto('/');
    await page.waitForURL('**/login');
    expect(await axeViolations(page)).toEqual([]);
    await signIn(page, DEMO_USER.email, DEMO_USER.password);
    const table = page.getByTestId('portfolio-table');
    await table.waitFor();
    await page.getByRole('link', { name: 'Balanced Individual' }).waitFor();
    expect(await table.locator('tbody tr').count()).toBe(3);
    // the admin never appears for a user
    expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'portfolios-1280');
  });

  it('creates, renames and deletes a portfolio', async () => {
    const { page } = user;
    await page.getByLabel('Name', { exact: true }).fill('Scratch book');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('link', { name: 'Scratch book' }).waitFor();
    await page.getByRole('button', { name: 'Rename Scratch book' }).click();
    await page.getByLabel('New name for Scratch book').fill('Scratch renamed');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('link', { name: 'Scratch renamed' }).waitFor();
    await page.getByRole('button', { name: 'Delete Scratch renamed' }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('link', { name: 'Scratch renamed' }).waitFor({ state: 'detached' });
    expect(await page.getByTestId('portfolio-table').locator('tbody tr').count()).toBe(3);
  });

  it('recalculates a portfolio live to completed, then draws its charts', async () => {
    const { page } = user;
    await page.getByRole('link', { name: 'Balanced Individual' }).click();
    await page.getByRole('heading', { name: 'Balanced Individual', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Recalculate' }).click();
    // live phase progress over SSE, then the final state
    await page.locator('.recalc [data-run-status]').waitFor();
    await page.locator('.recalc [data-run-status="completed"]').waitFor({ timeout: 90_000 });
    expect(await page.locator('.recalc [data-phase-status="completed"]').count()).toBe(3);
    // the figures reload: both time series drawn on canvas, with points
    for (const chart of ['value-vs-benchmark', 'drawdown']) {
      const fig = page.locator(`figure[data-chart="${chart}"]`);
      await fig.locator('canvas').waitFor();
      expect(Number(await fig.getAttribute('data-points'))).toBeGreaterThan(20);
    }
    await page.getByTestId('risk-cards').waitFor();
    expect(await page.getByTestId('risk-cards').textContent()).toMatch(/VaR 95%.*\$/);
    // the correlation heat map: one cell per pair of holdings
    const heat = page.locator('figure[data-chart="corr"] rect');
    expect(await heat.count()).toBeGreaterThanOrEqual(4);
    // exposures: the sector chart beside the benchmark's weights
    const sectors = page.locator('#exposures figure[data-chart="exp-sector"]');
    await sectors.waitFor();
    expect(Number(await sectors.getAttribute('data-points'))).toBeGreaterThanOrEqual(2);
    expect(await sectors.textContent()).toMatch(/Benchmark/);
    expect(await page.locator('#exposures [data-unavailable]').count()).toBe(0);
    // decomposition: one VaR-contribution bar per holding (top 15)
    const decomp = page.locator('#decomposition figure[data-chart="decomp"]');
    await decomp.waitFor();
    expect(Number(await decomp.getAttribute('data-points'))).toBeGreaterThanOrEqual(2);
    // limits: the form with every limit, read from the API, and the alerts beside it
    const limits = page.getByRole('form', { name: 'Limits' });
    await limits.waitFor();
    expect(await limits.locator('input[type="number"]').count()).toBe(11);
    await page.locator('#limits table, #limits .empty').first().waitFor();
    expect(await page.locator('#limits [data-unavailable]').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'portfolio-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('figure[data-chart="drawdown"] canvas').waitFor();
    expect(await overflowing(page)).toEqual([]);
    await screenshot(page, 'portfolio-390');
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 120_000);

  it('shows each bad row of a dropped CSV in place, and imports nothing', async () => {
    const { page } = user;
    user.expectStatus(400);
    const before = await page.getByTestId('positions-table').locator('tbody tr').count();
    // a real drop: a DataTransfer with the file, dispatched on the drop zone
    await page.getByTestId('dropzone').evaluate((zone, csv) => {
      const dt = new DataTransfer();
      dt.items.add(new File([csv], 'bad.csv', { type: 'text/csv' }));
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, BAD_CSV);
    const bad = page.getByTestId('import-errors').locator('tr.bad-row');
    await bad.first().waitFor();
    expect(await bad.count()).toBe(1);
    expect(await bad.getAttribute('data-line')).toBe('3');
    expect(await bad.textContent()).toMatch(/MSFT,abc.*quantity/);
    await page.getByRole('button', { name: 'Positions' }).click();
    expect(await page.getByTestId('positions-table').locator('tbody tr').count()).toBe(before);
  });

  it('tags a holding in place, kept after a reload; a refused tag says why in place and changes nothing', async () => {
    const { page } = user;
    await page.getByRole('button', { name: 'Positions' }).click();
    const symbol = (await page.getByTestId('positions-table').locator('tbody tr td').first().textContent())!.trim();
    const tags = page.getByTestId(`tags-${symbol}`).first();
    const form = page.locator('.tag-form');
    const edit = async (text: string) => {
      await page.getByRole('button', { name: `Edit the tags of ${symbol}` }).first().click();
      await form.getByRole('textbox', { name: `Tags of ${symbol}, separated by commas` }).fill(text);
      await form.getByRole('button', { name: 'Save' }).click();
    };
    await edit('income, core , income');
    await tags.locator('.badge').first().waitFor();
    expect(await tags.locator('.badge').allTextContents()).toEqual(['core', 'income']);

    user.expectStatus(400);
    await edit('x'.repeat(65));
    await form.getByRole('alert').waitFor();
    expect(await form.getByRole('alert').textContent()).toMatch(/tags/);
    await form.getByRole('button', { name: 'Cancel' }).click();
    expect(await tags.locator('.badge').allTextContents()).toEqual(['core', 'income']);

    await page.reload();
    await page.getByRole('button', { name: 'Positions' }).click();
    await page.getByTestId(`tags-${symbol}`).first().locator('.badge').first().waitFor();
    expect(await page.getByTestId(`tags-${symbol}`).first().locator('.badge').allTextContents()).toEqual(['core', 'income']);
  });

  it('combines portfolios as one book, and leaves out the ones unticked', async () => {
    const { page } = user;
    await page.getByRole('link', { name: 'Combined' }).click();
    await page.getByRole('heading', { name: 'Combined view', level: 1 }).waitFor();
    const members = page.getByTestId('aggregate-members').getByRole('checkbox');
    await members.first().waitFor();
    expect(await members.count()).toBe(3);
    const summary = page.getByTestId('aggregate-summary');
    // only the portfolio calculated above: its value, risk, exposures and decomposition
    await page.getByRole('checkbox', { name: 'Long/Short Equity Fund' }).uncheck();
    await page.getByRole('checkbox', { name: 'Options Overlay' }).uncheck();
    await summary.filter({ hasText: 'in 1 portfolio(s)' }).waitFor();
    await page.getByTestId('risk-cards').waitFor();
    expect(Number(await page.locator('figure[data-chart="exp-sector"]').getAttribute('data-points'))).toBeGreaterThan(0);
    expect(Number(await page.locator('figure[data-chart="decomp"]').getAttribute('data-points'))).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'aggregate-1280');
    // none ticked: nothing asked of the server, a hint instead
    await page.getByRole('checkbox', { name: 'Balanced Individual' }).uncheck();
    await page.getByText('Tick at least one portfolio.').waitFor();
    await page.getByRole('checkbox', { name: 'Balanced Individual' }).check();
    await summary.filter({ hasText: 'in 1 portfolio(s)' }).waitFor();
  });

  it('never shows admin pages to a user, without asking the admin API', async () => {
    const { page } = user;
    const before = user.requests.length;
    await page.goto('/admin');
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    expect(user.requests.slice(before).filter((r) => r.includes('/api/v1/admin'))).toEqual([]);
    expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);
  });

  it('returns to sign-in when the session has expired', async () => {
    const { page } = user;
    user.expectStatus(401);
    await page.evaluate(() => {
      const s = JSON.parse(sessionStorage.getItem('sigmasight.session')!);
      sessionStorage.setItem('sigmasight.session', JSON.stringify({ ...s, token: `${s.token}x` }));
    });
    await page.goto('/');
    await page.waitForURL('**/login');
    await page.getByText('Your session has expired').waitFor();
    expect(user.problems).toEqual([]);
  });

  it('lets an admin start a backfill, watch it live and cancel it', async () => {
    const admin = await WatchedPage.open(browser, base);
    const { page } = admin;
    try {
      await signIn(page, DEMO_ADMIN.email, DEMO_ADMIN.password);
      await page.getByRole('link', { name: 'Admin' }).click();
      await page.getByRole('heading', { name: 'Batch operations' }).waitFor();
      await page.getByLabel('Which days').selectOption('backfill');
      await page.getByLabel('From').fill('2026-03-02');
      await page.getByLabel('To').fill('2026-05-29');
      await page.getByRole('button', { name: 'Start backfill' }).click();
      await page.waitForURL(/\/admin\/runs\//);
      await page.locator('#phases [data-run-status="running"], #phases [data-run-status="queued"]').first().waitFor();
      await page.getByRole('button', { name: 'Cancel run' }).click();
      await page.locator('#phases [data-run-status="cancelled"]').waitFor({ timeout: 60_000 });
      // the run's stored event log: its queue and start at least
      await page.locator('#events table tbody tr').nth(1).waitFor();
      expect(await page.locator('#events [data-unavailable]').count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'run-1280');
      // the runs list shows it cancelled
      await page.getByRole('link', { name: 'Batch operations' }).click();
      const row = page.locator('[data-testid="runs-table"] tbody tr').first();
      await row.waitFor();
      expect(await row.getAttribute('data-status')).toBe('cancelled');
      await page.locator('#schedule dl').waitFor();
      expect(await page.locator('#schedule dl').textContent()).toMatch(/Active|Paused/);
      await page.getByRole('button', { name: /^(Pause|Resume) schedule$/ }).waitFor();
      // coverage of the latest trading day: a summary or a table of gaps
      await page.getByRole('button', { name: 'Check coverage' }).click();
      await page.locator('#coverage table, #coverage .empty').first().waitFor();
      expect(await page.locator('#coverage [data-unavailable]').count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'admin-1280');
      await page.setViewportSize({ width: 390, height: 844 });
      expect(await overflowing(page)).toEqual([]);
      await screenshot(page, 'admin-390');
      expect(admin.problems).toEqual([]);
    } finally {
      await admin.close();
    }
  }, 120_000);

  it('fits a 390 px phone screen', async () => {
    const phone = await WatchedPage.open(browser, base, 390);
    try {
      await signIn(phone.page, DEMO_USER.email, DEMO_USER.password);
      await phone.page.getByTestId('portfolio-table').waitFor();
      expect(await overflowing(phone.page)).toEqual([]);
      await screenshot(phone.page, 'portfolios-390');
      expect(phone.problems).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('logged no console error, page error or 5xx', () => {
    expect(user.problems).toEqual([]);
  });
});
