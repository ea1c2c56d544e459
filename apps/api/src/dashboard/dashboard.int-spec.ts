import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { sleep } from '@cryptostream/service-runtime';
import { launchChromium, waitFor } from '@cryptostream/testing';
import { ReadStack } from '../testing/read-stack';

const ARTIFACTS = join(__dirname, '../../../../tmp/dashboard-test');
/** API keys are on: the page gets through on its session cookie, the test's own reads with this key. */
const KEY = 'dashboard-test-key-0123456789';
const withKey = { headers: { 'X-API-Key': KEY } };

/** Collects the page's Content-Security-Policy violations from its first script on (page scripts: this project's Node typings have no DOM). */
const RECORD_CSP_VIOLATIONS = `window.cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => window.cspViolations.push(event.violatedDirective + ' ' + event.blockedURI));`;
const cspViolations = (page: Page) => page.evaluate<string[]>('window.cspViolations');

jest.setTimeout(240_000);

interface Row {
  readonly startMs: number;
  readonly state: string;
  readonly cells: string[];
}

/** The rows of the latest-windows table as a person reads them. */
async function tableRows(page: Page): Promise<Row[]> {
  const rows = page.locator('#windows tbody tr');
  const read: Row[] = [];
  for (let at = 0, count = await rows.count(); at < count; at++) {
    const row = rows.nth(at);
    read.push({ startMs: Number(await row.getAttribute('data-start-ms')), state: (await row.getAttribute('data-state')) ?? '', cells: await row.locator('td').allTextContents() });
  }
  return read;
}

const barsDrawn = async (page: Page): Promise<number> => Number(await page.locator('#chart').getAttribute('data-bars'));

describe('dashboard in a real browser (fake Binance → ingestor → Kafka → aggregator → MySQL and crypto_windows → API → chromium)', () => {
  let stack: ReadStack;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // 12× real time: a 1-minute window closes every 5 s of wall time.
    writeFileSync(join(ARTIFACTS, 'api-keys'), `${KEY}\n`);
    stack = await ReadStack.start({ speed: 12, logDir: ARTIFACTS, apiEnv: { API_KEYS_FILE: join(ARTIFACTS, 'api-keys') } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('draws history, then moves the open candle and adds closed ones without a reload', async () => {
    // History first: a few closed windows in MySQL before the page opens.
    const history = await waitFor('three closed TRXUSDT candles from the API', async () => {
      const response = await fetch(`${stack.apiUrl}/api/candles?symbol=TRXUSDT&interval=1m`, withKey);
      const { candles } = (await response.json()) as { candles: { startMs: number; close: string }[] };
      return candles.length >= 3 ? candles : undefined;
    }, { timeoutMs: 120_000, everyMs: 500, explain: () => stack.logTails() });

    expect((await fetch(`${stack.apiUrl}/api/candles?symbol=TRXUSDT&interval=1m`)).status).toBe(401);
    const page = await browser.newPage({ viewport: { width: 1400, height: 760 } });
    await page.addInitScript({ content: RECORD_CSP_VIOLATIONS });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    let loads = 0;
    page.on('load', () => loads++);
    await page.goto(`${stack.apiUrl}/?symbol=TRXUSDT&interval=1m`);

    await waitFor('the page to draw the history', async () => (await barsDrawn(page)) >= history.length, onThePage(30_000));
    expect(await page.locator('#chart canvas').count()).toBeGreaterThan(0);
    const drawnHistory = (await tableRows(page)).find((row) => row.startMs === history[history.length - 1].startMs);
    expect(drawnHistory).toMatchObject({ state: 'closed' });
    expect(drawnHistory!.cells[5]).toBe(history[history.length - 1].close); // exact decimals, as MySQL holds them

    // The open candle moves: the same window, newer figures. A window lasts 5 s here: when the one
    // watched closes before a change is seen, watch the next.
    const openRow = page.locator('#windows tr[data-state="open"]').first();
    await waitFor('the open candle to change on the page', async () => {
      const before = { startMs: await openRow.getAttribute('data-start-ms'), cells: await openRow.locator('td').allTextContents() };
      for (const deadline = Date.now() + 3_000; Date.now() < deadline; await sleep(100)) {
        const startMs = await openRow.getAttribute('data-start-ms');
        if (startMs !== before.startMs) return false;
        if ((await openRow.locator('td').allTextContents()).join('|') !== before.cells.join('|')) return true;
      }
      return false;
    }, onThePage(60_000));

    // A window closes: it turns up as closed, and MySQL has the very same figures.
    const newestClosed = Math.max(...(await tableRows(page)).filter((row) => row.state === 'closed').map((row) => row.startMs));
    const barsBefore = await barsDrawn(page);
    const closed = await waitFor('a newly closed candle on the page', async () => (await tableRows(page)).find((row) => row.state === 'closed' && row.startMs > newestClosed), onThePage(60_000));
    const stored = (await (await fetch(`${stack.apiUrl}/api/candles?symbol=TRXUSDT&from=${closed.startMs}&limit=1`, withKey)).json()) as {
      candles: { close: string; volume: string; takerBuyVolume: string; takerBuyQuoteVolume: string }[];
    };
    expect([closed.cells[5], closed.cells[6]]).toEqual([stored.candles[0].close, stored.candles[0].volume]);
    // The volume's tooltip: the taker-buy volumes, exact.
    const volumeTitle = await page.locator(`#windows tr[data-start-ms="${closed.startMs}"] td`).nth(6).getAttribute('title');
    expect(volumeTitle).toBe(`taker buy volume: ${stored.candles[0].takerBuyVolume} (quote ${stored.candles[0].takerBuyQuoteVolume})`);
    expect(await barsDrawn(page)).toBeGreaterThanOrEqual(barsBefore);
    expect(await barsDrawn(page)).toBeGreaterThan(history.length);

    // The pipeline panel says data flows.
    await waitFor('the aggregator ready on the page', async () => (await page.locator('#pipeline tr[data-item="aggregator"] td.ok').count()) > 0, onThePage(30_000));
    expect(await page.locator('#pipeline tr[data-item="ingestor"] td').nth(1).textContent()).toBe('ready');
    expect(await page.locator('#stream-state').textContent()).toBe('live');

    expect(loads).toBe(1);
    expect(pageErrors).toEqual([]);
    // The page keeps to its Content-Security-Policy; and the policy is enforced: inline script is blocked, and seen.
    expect(await cspViolations(page)).toEqual([]);
    await page.evaluate(`document.body.append(Object.assign(document.createElement('script'), { textContent: 'window.inlineRan = true' }))`);
    await waitFor('the inline script reported as a CSP violation', async () => (await cspViolations(page)).length > 0, onThePage(5_000));
    expect(await cspViolations(page)).toEqual(['script-src-elem inline']);
    expect(await page.evaluate('window.inlineRan')).toBeUndefined();
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png') });
  });
});

/** A page is polled four times a second: often enough to see a 5 s window change. */
const onThePage = (timeoutMs: number) => ({ timeoutMs, everyMs: 250 });
