import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StandingPoint } from '../shared/domain/metagraph.js';
import { MetagraphHistory } from '../main/chain/metagraph-history.js';
import { openDatabase } from '../main/store/database.js';
import { MIGRATIONS } from '../main/store/migrations.js';
import { makeDataDir, openConsolePage, screenshot, startServe, useChromium } from './harness.js';

const chromium = useChromium();
const { cleanups } = chromium;

/**
 * Plants readings in the running console's database (migrated when it started), as the miner
 * records them: finney, netuid 72, a tempo of 359 blocks, so 7200 / 360 = 20 tempos a day.
 * 2026-03-01: 0.5 and 1.5 α a tempo at 0.02 and 0.03 TAO/α → 20 α/day, 0.5 TAO/day.
 * 2026-03-02: 0.25 α at 0.04 → 5 α/day, 0.2 TAO/day.
 */
function plantHistory(dataDir: string): void {
  const db = openDatabase(join(dataDir, 'console.db'), MIGRATIONS);
  const history = new MetagraphHistory(db);
  const point = (time: string): StandingPoint => ({
    time,
    source: 'chain',
    netuid: 72,
    block: 0,
    uid: 17,
    rank: 4,
    miners: 230,
    incentive: 0.01,
    emissionPerDayAlpha: 0,
  });
  history.record(point('2026-03-01T00:10:00Z'), { emissionPerTempo: 0.5, tempo: 359, taoPerAlpha: 0.02 });
  history.record(point('2026-03-01T12:00:00Z'), { emissionPerTempo: 1.5, tempo: 359, taoPerAlpha: 0.03 });
  history.record(point('2026-03-02T08:00:00Z'), { emissionPerTempo: 0.25, tempo: 359, taoPerAlpha: 0.04 });
  history.dispose();
  db.close();
}

describe('the Earnings page', { timeout: 120_000 }, () => {
  it('shows emission in α, TAO and USD against the costs entered, the break-even and the decision; exports CSV', async () => {
    const data = await makeDataDir();
    cleanups.push(() => data.remove());
    const host = await startServe(data.dir);
    cleanups.push(() => host.stop());
    plantHistory(data.dir);
    const { context, page, errors } = await openConsolePage(chromium.browser, host.url);
    cleanups.push(() => context.close());

    await page.getByRole('navigation').getByRole('link', { name: 'Earnings', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Earnings' }).waitFor();
    const decision = page.getByTestId('earnings-decision');
    // α and TAO are known from the chain's readings; USD waits for a price.
    const firstDay = page.getByTestId('earnings-day-2026-03-01');
    await expect.poll(() => firstDay.textContent()).toContain('20.000 α');
    expect(await firstDay.textContent()).toContain('0.5000 TAO');
    expect(await decision.textContent()).toMatch(/Enter the TAO price in USD/);

    // A price list with a bad line is refused by its number, and nothing of it is kept.
    const prices = page.getByLabel('Import TAO/USD prices (CSV of date,price)');
    await prices.setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('date,price\n2026-03-01,400\n2026-03-02,abc\n'),
    });
    await expect
      .poll(() => page.getByTestId('price-import-status').textContent())
      .toBe('Prices not imported. Line 3: the price "abc" is not a positive number.');
    await prices.setInputFiles({
      name: 'tao-usd.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('date,price\n2026-03-01,400\n'),
    });
    await expect
      .poll(() => page.getByTestId('price-import-status').textContent())
      .toBe('Imported 1 prices, 2026-03-01 to 2026-03-01.');

    // Costs per day: 0.25 USD/h × 24 = 6; 146 USD/month ÷ (365/12) = 4.8; 0.30 USD/kWh × 0.5 kW × 24 h
    // = 3.6; 36.5 USD/month = 1.2. 15.6 a day; 250 one-off. TAO at 300 USD where the list has no day.
    const form = page.getByRole('form', { name: 'Costs and prices' });
    // A negative wattage is named beside its field and nothing is saved.
    await form.getByLabel('Power drawn, watts').fill('-500');
    await form.getByRole('button', { name: 'Save costs' }).click();
    await form.getByText('Not saved: see the fields marked.').waitFor();
    expect(await form.locator('.field-error').allTextContents()).toEqual(['must be at least 0']);
    await form.getByLabel('Inference GPU rent, USD').fill('0.25');
    await form.getByLabel('Training GPU rent, USD').fill('146');
    await form.getByLabel('Training GPU rent per').selectOption('month');
    await form.getByLabel('Electricity, USD per kWh').fill('0.30');
    await form.getByLabel('Power drawn, watts').fill('500');
    await form.getByLabel('Other costs, USD per month').fill('36.5');
    await form.getByLabel('One-off costs (registration burn, setup), USD').fill('250');
    await form.getByLabel('TAO price, USD (empty: none)').fill('300');
    await form.getByLabel('Decide after this many days of mining').fill('2');
    await form.getByRole('button', { name: 'Save costs' }).click();
    await form.getByText('Saved.').waitFor();

    // Day 1: 0.5 TAO × 400 = 200 USD − 15.6 = 184.4. Day 2: 0.2 × 300 = 60 − 15.6 = 44.4.
    // Mean 114.4 a day; cumulative 260 − (250 + 31.2) = −21.2: one more day to break even.
    await expect.poll(() => decision.textContent()).toBe('After 2 days: profitable (by 114.40 USD/day)');
    expect(await page.getByTestId('earnings-cost-per-day').textContent()).toBe('15.60 USD');
    expect(await page.getByTestId('earnings-total-net').textContent()).toBe('-21.20 USD');
    expect(await page.getByTestId('earnings-break-even').textContent()).toBe(
      'Breaks even in 1 day at the recent net per day',
    );
    expect(await firstDay.textContent()).toContain('184.40 USD');
    expect(await page.getByTestId('earnings-day-2026-03-02').textContent()).toContain('44.40 USD');
    await page.getByRole('img', { name: 'Cumulative earnings, cost and net in USD' }).waitFor();
    await page.getByRole('heading', { level: 1, name: 'Earnings' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'earnings');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toMatch(/^earnings-chain-72-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = (await readFile(await saved.path(), 'utf8')).split('\n');
    expect(csv[1]).toBe('2026-03-01,2,1,20,0.025,0.5,400,imported,200,15.6,184.4,200,265.6,-65.6');

    // Inference at 10 USD/h: 249.6 a day; nets −49.6 and −189.6, a mean of −119.6.
    await form.getByLabel('Inference GPU rent, USD').fill('10');
    await form.getByRole('button', { name: 'Save costs' }).click();
    await expect.poll(() => decision.textContent()).toBe('After 2 days: not profitable (by 119.60 USD/day)');

    // The Overview's card: the latest day's net and the same decision.
    await page.getByRole('navigation').getByRole('link', { name: 'Overview', exact: true }).click();
    const card = page.getByRole('region', { name: 'Earnings' });
    await expect
      .poll(() => card.getByTestId('earnings-decision').textContent())
      .toBe('After 2 days: not profitable (by 119.60 USD/day)');
    expect(await card.getByTestId('earnings-today-net').textContent()).toBe('-189.60 USD');
    expect(errors).toEqual([]);
  });
});
