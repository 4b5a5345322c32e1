import { deleteQueues, uniqueName } from '@model-service/messaging/testing';
import { TrainingRunRepository } from '@model-service/repositories';
import { INestApplication } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';

import { GatewayTestApp, RABBITMQ_URL, startGatewayTestApp, TEST_API_KEY } from '../testing/gateway-test-app.testing';
import { DASHBOARD_CSP } from './dashboard-static';
import { DLQ_MESSAGES, EXIT_REASONS, fillDeadLetterQueue, seedDashboard, startHealthEndpoint, STRATEGIES } from './dashboard-seed.testing';

/** Debian's Chromium (.ci/run installs it). Missing is a failure, never a skip. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
/** UPDATE_DASHBOARD_SCREENSHOT=1 rewrites docs/dashboard.png (the README's picture) from this run. */
const SCREENSHOT = process.env['UPDATE_DASHBOARD_SCREENSHOT'] === '1' ? join(__dirname, '../../../../docs/dashboard.png') : null;
const PANELS = ['health', 'dlq', 'signals', 'pnl', 'winrate', 'models', 'training', 'exits'];

/** The few browser objects the page functions below touch (the workspace compiles without the DOM lib). */
interface ProbeElement {
  dataset: Record<string, string | undefined>;
  textContent: string | null;
  getBoundingClientRect(): { left: number; right: number };
}
interface ProbeCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}
declare const document: {
  getElementById(id: string): ProbeElement | null;
  querySelector(selector: string): ProbeElement | null;
  querySelectorAll(selector: string): Iterable<ProbeElement>;
  documentElement: { scrollWidth: number };
};
declare const sessionStorage: { length: number; getItem(key: string): string | null; setItem(key: string, value: string): void };
declare const localStorage: { length: number };

interface PageProblems {
  console: string[];
  failed: string[];
}

/** Collects console errors, uncaught exceptions, failed requests and HTTP errors of a page. */
function watch(page: Page): PageProblems {
  const problems: PageProblems = { console: [], failed: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.console.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.console.push(`uncaught: ${e.message}`));
  page.on('requestfailed', (r) => problems.failed.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.failed.push(`${r.status()} ${r.url()}`);
  });
  return problems;
}

async function signIn(page: Page, base: string, key: string): Promise<void> {
  await page.goto(`${base}/dashboard`);
  await page.locator('#api-key').fill(key);
  await page.locator('#login-submit').click();
}

/** Waits until every panel has rendered data (data-state="ready"). */
async function panelsReady(page: Page): Promise<void> {
  await page.waitForFunction(
    (ids) => ids.every((id) => document.getElementById(`panel-${id}`)?.dataset['state'] === 'ready'),
    PANELS,
    { timeout: 10_000 },
  );
}

/** Non-transparent pixels of each uPlot canvas in a panel: lines and axes were drawn. */
function inkedPixels(page: Page, panel: string): Promise<number[]> {
  return page.$$eval(`#panel-${panel} canvas`, (canvases) =>
    (canvases as unknown as ProbeCanvas[]).map((c) => {
      const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) n++;
      return n;
    }),
  );
}

const legend = (page: Page, panel: string): Promise<string[]> =>
  page.$$eval(`#panel-${panel} .u-legend .u-series:not(:first-child) .u-label`, (els) => els.map((e) => e.textContent ?? ''));

describe('ops dashboard in headless Chromium (gateway on a seeded database)', () => {
  let t: GatewayTestApp;
  let base: string;
  let browser: Browser;
  let runs: TrainingRunRepository;
  let runningRunId: string;
  const others: INestApplication[] = [];
  const consumed = [uniqueName('test.gw.dash.orders'), uniqueName('test.gw.dash.positions')];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    const apps = await Promise.all(['signal-generator', 'trainer', 'exit-strategy'].map(startHealthEndpoint));
    others.push(...apps.map((a) => a.app));
    t = await startGatewayTestApp({
      deadLetterQueues: consumed,
      env: { SIGNAL_GENERATOR_URL: apps[0]!.url, TRAINER_URL: apps[1]!.url, EXIT_STRATEGY_URL: apps[2]!.url },
    });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    runs = new TrainingRunRepository(t.db.dataSource);
    ({ runningRunId } = await seedDashboard(t.db.dataSource, t.storageDir, Date.now()));
    await fillDeadLetterQueue(RABBITMQ_URL, `${consumed[0]}.dlq`, DLQ_MESSAGES);
    browser = await chromium.launch({ executablePath: CHROMIUM });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await Promise.all(others.map((a) => a.close()));
    await deleteQueues(RABBITMQ_URL, consumed.map((q) => `${q}.dlq`));
  });

  let context: BrowserContext;
  afterEach(async () => {
    await context?.close();
  });

  it('at 1280×800: the key opens every panel with data, it refreshes by itself, and nothing errs', async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems = watch(page);

    const pageResponse = await page.goto(`${base}/dashboard`);
    expect(page.url()).toBe(`${base}/dashboard/`);
    expect(pageResponse?.headers()['content-security-policy']).toBe(DASHBOARD_CSP);
    await expect(page.locator('#login').isVisible()).resolves.toBe(true);
    await page.locator('#api-key').fill(TEST_API_KEY);
    await page.locator('#login-submit').click();
    await panelsReady(page);

    // The key lives in this tab's session storage only.
    expect(await page.evaluate(() => [sessionStorage.getItem('model-service.api-key'), localStorage.length])).toEqual([TEST_API_KEY, 0]);

    const apps = await page.$$eval('#panel-health .app', (els) => els.map((e) => [e.getAttribute('data-service'), e.getAttribute('data-status')]));
    expect(apps).toEqual([['api-gateway', 'ok'], ['signal-generator', 'ok'], ['trainer', 'ok'], ['exit-strategy', 'ok']]);

    const dlq = await page.$$eval('#panel-dlq tbody tr', (rows) => rows.map((r) => [r.getAttribute('data-queue'), r.lastElementChild?.textContent]));
    expect(dlq).toEqual([[consumed[0], String(DLQ_MESSAGES)], [consumed[1], 'not declared']]);

    for (const panel of ['signals', 'pnl', 'winrate']) {
      const inked = await inkedPixels(page, panel);
      expect(inked.length).toBeGreaterThan(0);
      expect(Math.max(...inked)).toBeGreaterThan(2_000);
    }
    expect((await legend(page, 'signals')).sort()).toEqual(
      ['mean-revert-eth · exit', 'mean-revert-eth · warmup', 'momentum-btc · exit', 'momentum-btc · model', 'momentum-btc · warmup'],
    );
    expect((await legend(page, 'pnl')).sort()).toEqual([...STRATEGIES].sort());
    expect((await legend(page, 'winrate')).sort()).toEqual([...STRATEGIES].sort());

    const momentum = await page.locator('#panel-models tr[data-strategy="momentum-btc"]').innerText();
    expect(momentum).toContain('momentum-btc-v2');
    expect(momentum).toMatch(/accuracy 83\.0 % · f1_score 0\.800 · sharpe_ratio 1\.420 · total_pnl 96\.500 · its signals: 4 fills/);
    expect(momentum).toMatch(/momentum-btc-v2\s*active\s*←\s*momentum-btc-v1\s*retired/);
    expect(await page.locator('#panel-models tr[data-strategy="mean-revert-eth"]').innerText()).toMatch(/warmup[\s\S]*mean-revert-eth-v1\s*rejected/);

    const running = page.locator('#panel-training tr[data-status="running"]');
    expect(await running.innerText()).toMatch(/mean-revert-eth\s+running\s+manual\s+7 \/ 20\s+0\.6123\s+69\.0 %\s+2 min 56 s/);
    expect(await page.locator('#panel-training tbody tr').count()).toBe(3);

    const reasons = await page.$$eval('#panel-exits [data-reason]', (els) => els.map((e) => [e.textContent, e.nextElementSibling?.nextElementSibling?.textContent]));
    expect(reasons).toEqual(Object.entries(EXIT_REASONS).map(([r, n]) => [r, String(n)]));

    if (SCREENSHOT) {
      await mkdir(join(SCREENSHOT, '..'), { recursive: true });
      // The whole page at the 1280×800 viewport, so the README shows every panel.
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    }

    // Auto-refresh: the trainer reports the next epoch; the page shows it without a reload.
    await page.locator('#refresh-every').selectOption('5');
    await runs.update(runningRunId, { progress: { epoch: 8, epochs: 20, loss: 0.5987, val_accuracy: 0.7, eta_seconds: 150 } });
    await page.waitForFunction(() => document.querySelector('#panel-training tr[data-status="running"]')?.textContent?.includes('8 / 20'), undefined, { timeout: 8_000 });

    expect(problems).toEqual({ console: [], failed: [] });
  });

  it('at phone width (390×844): one column, nothing wider than the screen, every panel with data', async () => {
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const problems = watch(page);
    await signIn(page, base, TEST_API_KEY);
    await panelsReady(page);
    const layout = await page.evaluate((ids) => {
      const boxes = ids.map((id) => document.getElementById(`panel-${id}`)?.getBoundingClientRect() ?? { left: -1, right: 10_000 });
      const canvases = [...document.querySelectorAll('canvas')].map((c) => c.getBoundingClientRect().right);
      return {
        pageWidth: document.documentElement.scrollWidth,
        lefts: [...new Set(boxes.map((b) => Math.round(b.left)))],
        widest: Math.max(...boxes.map((b) => b.right)),
        canvasRight: Math.max(...canvases),
      };
    }, PANELS);
    expect(layout.pageWidth).toBeLessThanOrEqual(390);
    expect(layout.lefts).toHaveLength(1);
    expect(layout.widest).toBeLessThanOrEqual(390);
    expect(layout.canvasRight).toBeLessThanOrEqual(390);
    for (const panel of ['signals', 'pnl', 'winrate']) expect(Math.max(...(await inkedPixels(page, panel)))).toBeGreaterThan(1_000);
    expect(problems).toEqual({ console: [], failed: [] });
  });

  it('a wrong key shows a clear message, keeps the panels closed and stores nothing; so does a stored key the gateway no longer takes', async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems = watch(page);
    await signIn(page, base, 'not-the-key');
    const error = page.locator('#login-error');
    await error.waitFor({ state: 'visible', timeout: 5_000 });
    expect(await error.innerText()).toBe(
      'The gateway refused this API key (401: the X-API-Key header is not valid). Check the key (MODEL_SERVICE_API_KEY) and enter it again.',
    );
    expect(await page.locator('#panels').isVisible()).toBe(false);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    // The refused call itself is the only error the browser reports.
    expect(problems.failed).toEqual([`401 ${base}/api/v1/monitoring/services`]);
    expect(problems.console).toEqual(['error: Failed to load resource: the server responded with a status of 401 (Unauthorized)']);

    // A key that worked once (kept in the tab) and was rotated away since: the next load says so and forgets it.
    await page.evaluate(() => sessionStorage.setItem('model-service.api-key', 'rotated-away-key'));
    await page.reload();
    await page.waitForFunction(() => document.getElementById('login-error')?.textContent?.startsWith('The gateway refused this API key (401'), undefined, { timeout: 5_000 });
    expect(await page.locator('#panels').isVisible()).toBe(false);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(problems.failed.every((f) => f.startsWith('401 '))).toBe(true);
  });
});
