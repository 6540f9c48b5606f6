// The playground end to end in a real headless Chromium: Mo as `mo serve` runs it (real app,
// real database, the demo workspace), the page playing Slack. A person's path through Mo:
// the budget, a drill-down, the edit modal (a wrong then a right amount), a maturity survey
// answered by three people and its results with the chart, the digest preview with its
// charts, the Home tab, an alert acknowledged. Each step leaves a screenshot in
// out/screenshots/ (ignored by git), or over the README's in docs/screenshots/ with
// MO_REFRESH_SCREENSHOTS=1; any console error or Block Kit violation fails the test.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createScratchDatabase } from '../../src/db/scratch.js';
import { DEMO_ADMIN } from '../../src/demo.js';
import { createLogger } from '../../src/log.js';
import { type Playground, startPlayground } from '../../src/playground/index.js';
import { testDatabaseUrl } from '../support/db.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = join(import.meta.dirname, '..', '..');
// A run only refreshes the README's pictures when asked: otherwise every test run would
// leave docs/screenshots/ changed in the working tree.
const SHOTS = loadConfig().refreshScreenshots
  ? join(ROOT, 'docs', 'screenshots')
  : join(ROOT, 'out', 'screenshots');
const OWNER = 'U0DEMOPAID';
const MEMBER = 'U0DEMOMEMBER';
const hasChromium = existsSync(CHROMIUM);

/** The page's document, typed for the functions Playwright runs in the browser (no DOM types here). */
type BrowserGlobal = { document: { querySelector(s: string): { textContent: string | null } | null } };

if (!hasChromium)
  console.warn(
    `test/e2e/playground.test.ts skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`,
  );

describe.skipIf(!hasChromium)('the playground in a browser', { timeout: 180_000 }, () => {
  let pg: Playground;
  let drop: () => Promise<void>;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  let shot = 0;

  beforeAll(async () => {
    const scratch = await createScratchDatabase(testDatabaseUrl());
    drop = scratch.drop;
    pg = await startPlayground(
      {
        ...loadConfig({}),
        databaseUrl: scratch.url,
        port: 0,
        // Monday 16 November 2026, 10:00 in New York: the demo's Q4 is under way.
        now: new Date('2026-11-16T15:00:00Z'),
        scheduler: true,
      },
      createLogger('error'),
    );
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1200, height: 760 } });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    mkdirSync(SHOTS, { recursive: true });
    // This run's screenshots replace the last run's.
    for (const f of readdirSync(SHOTS)) if (f.endsWith('.png')) rmSync(join(SHOTS, f));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await pg?.stop();
    await drop?.();
  });

  const snap = async (name: string) => {
    shot += 1;
    await page.screenshot({ path: join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`) });
  };

  /** Nothing Slack would refuse reached the Web API, and the page logged no error. */
  const clean = () => {
    expect(consoleErrors).toEqual([]);
    expect(pg.workspace.violations).toEqual([]);
  };

  const as = async (user: string, where = 'C0MARKETING') => {
    await page.goto(`${pg.url}#user=${user}&where=${where}`);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
  };

  const slash = async (text: string) => {
    await page.fill('#box', text);
    await page.press('#box', 'Enter');
  };

  const lastMessage = () => page.locator('#messages .message').last();

  it('opens the page on #marketing, where the demo’s budget alerts already are', async () => {
    await as(DEMO_ADMIN);
    await expect
      .poll(() => page.locator('#messages .message').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await page.locator('#messages').getByText('Budget alerts').first().waitFor();
    await snap('channel');
    clean();
  });

  it('/mo budget, a drill-down, and the edit modal: a wrong then a right amount', async () => {
    await slash('/mo budget');
    await lastMessage().getByText('Budget · FY2027-Q4').waitFor();
    await snap('budget');

    await lastMessage()
      .locator('select[data-action-id="mo_budget_drill"]')
      .selectOption({ label: 'Paid Media' });
    await lastMessage().getByText('Budget · Paid Media · FY2027-Q4').waitFor();
    await snap('budget-drill-down');

    await lastMessage().getByRole('button', { name: 'Edit plan' }).click();
    const modal = page.locator('.modal');
    await modal.waitFor();
    await modal.locator('[data-input-block="category"]').fill('Paid Media/Search');
    await modal.locator('[data-input-block="amount"]').fill('12,0.0x');
    await modal.locator('[data-input-block="owner"]').selectOption(OWNER);
    await modal.locator('[data-submit]').click();
    await modal.locator('.bk-error').first().waitFor();
    await snap('budget-edit-wrong-amount');

    await modal.locator('[data-input-block="amount"]').fill('130000');
    await modal.locator('[data-submit]').click();
    await page.locator('.modal').waitFor({ state: 'detached' });
    await lastMessage().getByText('saved').waitFor();
    await snap('budget-edit-saved');
    clean();
  });

  it('a maturity survey taken by three people, then its results with the chart', async () => {
    await as(DEMO_ADMIN);
    await slash('/mo survey start');
    await page.locator('#messages').getByRole('button', { name: 'Take the survey' }).last().waitFor();
    for (const [i, user] of [DEMO_ADMIN, OWNER, MEMBER].entries()) {
      await as(user);
      await page.locator('#messages').getByRole('button', { name: 'Take the survey' }).last().click();
      for (let p = 0; p < 20; p++) {
        const modal = page.locator('.modal');
        await modal.waitFor();
        const body = await modal.locator('.modal-body').textContent();
        if (body?.includes('Thank you')) break;
        const groups = modal.locator('.bk-choices');
        for (let g = 0; g < (await groups.count()); g++) {
          const choices = groups.nth(g).locator('input[type="radio"]');
          // Different people, different answers; never the last option ("Don't know").
          await choices.nth((i + g) % Math.max(1, (await choices.count()) - 1)).check();
        }
        if (i === 0 && p === 0) {
          await modal.locator('.modal-body').evaluate((body) => {
            (body as unknown as { scrollTop: number }).scrollTop = 0;
          });
          await snap('survey-modal');
        }
        await modal.locator('[data-submit]').click();
        await page.waitForFunction(
          (prev) =>
            (globalThis as unknown as BrowserGlobal).document.querySelector('.modal .modal-body')
              ?.textContent !== prev,
          body,
        );
      }
      await page.locator('.modal [data-close]').click();
      await page.locator('.modal').waitFor({ state: 'detached' });
    }
    await as(DEMO_ADMIN);
    await slash('/mo survey close');
    await page.locator('#messages figure.file img').last().waitFor({ timeout: 30_000 });
    await expect
      .poll(() =>
        page
          .locator('#messages figure.file img')
          .last()
          .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      )
      .toBeGreaterThan(100);
    await page.locator('#messages').getByText('results').last().waitFor();
    await page.locator('#messages figure.file').last().scrollIntoViewIfNeeded();
    await snap('survey-results');
    clean();
  });

  it('/mo digest preview, with its charts in the DM', async () => {
    await as(DEMO_ADMIN);
    await slash('/mo digest preview');
    await lastMessage().getByText('Weekly marketing digest').first().waitFor({ timeout: 60_000 });
    await snap('digest-preview');
    await as(DEMO_ADMIN, 'dm');
    await page.locator('#messages figure.file img').first().waitFor({ timeout: 60_000 });
    await expect
      .poll(() =>
        page
          .locator('#messages figure.file img')
          .first()
          .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      )
      .toBeGreaterThan(100);
    await snap('digest-charts');
    clean();
  });

  it('the Home tab of a line owner, and an alert acknowledged from it', async () => {
    await as(OWNER, 'home');
    await page.locator('#home').getByText('Your budget lines').waitFor({ timeout: 20_000 });
    await snap('home');
    const ack = page.locator('#home').getByRole('button', { name: 'Acknowledge' });
    const before = await ack.count();
    expect(before).toBeGreaterThan(0);
    await ack.first().click();
    await expect
      .poll(() => page.locator('#home').getByRole('button', { name: 'Acknowledge' }).count(), {
        timeout: 15_000,
      })
      .toBe(before - 1);
    await snap('home-alert-acknowledged');

    // In the channel, Dana (an admin) acknowledges the batch's first alert.
    await as(DEMO_ADMIN, 'C0MARKETING');
    const alertMessage = page.locator('#messages .message', { hasText: 'Budget alerts' }).first();
    const acked = () => alertMessage.getByText('Acknowledged by').count();
    const ackedBefore = await acked();
    await alertMessage.getByRole('button', { name: 'Acknowledge' }).first().click();
    await expect.poll(acked, { timeout: 15_000 }).toBe(ackedBefore + 1);
    await alertMessage.getByText('Acknowledged by @Dana (admin)').first().waitFor();
    await alertMessage.scrollIntoViewIfNeeded();
    await snap('channel-alert-acknowledged');
    clean();
  });
});
