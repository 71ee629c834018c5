import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { Keyring } from '@polkadot/keyring';
import { signaturesReady } from '../main/bittensor/signature.js';
import { renderStreetImage } from '../main/scenes/generate.js';
import { buildDendriteRequest } from '../main/bittensor/dendrite.js';
import { freePort } from '../tests/free-port.js';
import { LogService } from '../main/log/log-service.js';
import { ChallengeLog } from '../main/miner/challenge-log.js';
import { openDatabase } from '../main/store/database.js';
import { MIGRATIONS } from '../main/store/migrations.js';
import {
  connectToServe,
  openConsolePage,
  makeDataDir,
  screenshot,
  startServe,
  type ServeProcess,
  useChromium,
} from './harness.js';

/** The Settings page's miner form (other forms on the page have their own Save and status). */
const minerSettings = (page: Page) => page.getByRole('form', { name: 'Miner settings' });

const PAGES = ['Overview', 'Challenges', 'Metagraph', 'Hard cases', 'Training', 'Models', 'Settings'];

const chromium = useChromium();
const { cleanups } = chromium;

async function serve(): Promise<ServeProcess> {
  const data = await makeDataDir();
  const host = await startServe(data.dir);
  cleanups.push(
    () => data.remove(),
    () => host.stop(),
  );
  return host;
}

async function openConsole(host: ServeProcess): Promise<{ page: Page; errors: string[] }> {
  const { context, page, errors } = await openConsolePage(chromium.browser, host.url);
  cleanups.push(() => context.close());
  return { page, errors };
}

describe('the console in Chromium, served by `npm run serve`', () => {
  it('opens at the printed URL, shows live status, and every page renders without an error', async () => {
    const host = await serve();
    const { page, errors } = await openConsole(host);
    // The token left the address bar for a cookie.
    expect(page.url()).toBe(`${host.base}/#/overview`.replace('#/overview', ''));
    await expect.poll(() => page.getByTestId('miner-state').textContent()).toBe('stopped');
    expect(await page.getByTestId('network').textContent()).toBe('Local subnet (rehearsal)');
    await page.getByRole('img', { name: /Event-loop lag/ }).waitFor();
    await screenshot(page, 'overview');

    for (const name of PAGES) {
      await page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
      await page.getByRole('heading', { level: 1, name }).waitFor();
      expect(await page.getByRole('link', { name, exact: true }).getAttribute('aria-current')).toBe('page');
      await screenshot(page, name.toLowerCase().replace(' ', '-'));
    }
    expect(errors).toEqual([]);
  });

  it('refuses the same URL without the token: no console, no assets', async () => {
    const host = await serve();
    const context = await chromium.browser.newContext();
    cleanups.push(() => context.close());
    const page = await context.newPage();
    const response = await page.goto(`${host.base}/`);
    expect(response?.status()).toBe(401);
    expect(await page.locator('body').innerText()).toBe('Unauthorized');
    expect(await page.locator('#root').count()).toBe(0);
    const asset = await page.goto(`${host.base}/assets/index.js`);
    expect(asset?.status()).toBe(401);
  });

  it('follows the back end live: a change made by another console shows without a reload', async () => {
    const host = await serve();
    const { page } = await openConsole(host);
    const other = connectToServe(host);
    cleanups.push(() => other.close());
    await other.client.call('settings.update', { chain: { network: 'test', netuid: 323 } });
    await expect.poll(() => page.getByTestId('network').textContent()).toBe('Testnet');
    await page
      .getByRole('list', { name: /Recent log entries/ })
      .getByText('Settings saved: chain.network, chain.netuid')
      .waitFor();
  });

  it('saves settings to disk, refuses a bad value with the field named, and keeps the theme across a reload', async () => {
    const host = await serve();
    const { page, errors } = await openConsole(host);
    await page.getByRole('link', { name: 'Settings' }).click();

    const port = page.getByRole('textbox', { name: 'Port' });
    await port.fill('not-a-port');
    await minerSettings(page).getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => minerSettings(page).getByRole('status').textContent()).toMatch(/axon\.port/);

    await port.fill('9191');
    await minerSettings(page).getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => minerSettings(page).getByRole('status').textContent()).toBe('Saved.');
    const onDisk = JSON.parse(await readFile(join(host.dataDir, 'settings.json'), 'utf8')) as {
      axon: { port: number };
    };
    expect(onDisk.axon.port).toBe(9191);

    await page.getByRole('radio', { name: 'Light' }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await screenshot(page, 'settings-light');
    expect(errors).toEqual([]);
  });

  it('starts mining on the local subnet with one button, answers its validators, shows the rank, and stops', async () => {
    const host = await serve();
    const { page, errors } = await openConsole(host);
    const other = connectToServe(host);
    cleanups.push(() => other.close());
    const axonPort = await freePort();
    await other.client.call('settings.update', { axon: { port: axonPort } });

    await page.getByRole('button', { name: 'Start mining' }).click();
    await expect.poll(() => page.getByTestId('miner-state').textContent(), { timeout: 30_000 }).toBe('serving');
    const status = await other.client.call('miner.status', {});

    await signaturesReady();
    const alice = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice');
    const image = (await renderStreetImage(1, 'roadwork', 0)).jpeg.toString('base64');
    const request = buildDendriteRequest(
      alice,
      { ip: '127.0.0.1', port: axonPort, hotkey: status.hotkeyAddress! },
      {
        synapseName: 'ImageSynapse',
        fields: { image, prediction: -1.0, testnet_label: -1 },
      },
    );
    const reply = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
    expect(reply.status).toBe(200);
    await expect.poll(async () => Number(await page.getByTestId('per-minute').textContent())).toBeGreaterThan(0);
    // The local subnet's own validators keep challenging; after its first tempo, the rank shows.
    await expect.poll(() => page.getByTestId('rank').textContent(), { timeout: 40_000 }).toMatch(/^\d+ of 25$/);
    await screenshot(page, 'overview-serving');

    // The answered challenges, live on the Challenges page, from the local validators (uids 0–4).
    await page.getByRole('navigation').getByRole('link', { name: 'Challenges', exact: true }).click();
    const row = page.getByRole('table', { name: 'Challenges' }).getByRole('row').nth(1);
    await expect.poll(() => row.textContent()).toMatch(/uid [0-4] · .*200/);
    await row.locator('img.thumb').waitFor();
    await page.getByRole('img', { name: /Histogram of answer latency/ }).waitFor();
    await screenshot(page, 'challenges-live');

    // The Metagraph: our row pinned on top whatever the sort, the validators and the field below.
    await page.getByRole('navigation').getByRole('link', { name: 'Metagraph', exact: true }).click();
    const neurons = page.getByRole('table', { name: 'Neurons' });
    await expect.poll(() => neurons.getByRole('row').nth(1).textContent()).toContain('you');
    expect(await neurons.getByRole('row').count()).toBe(31); // header, 5 validators, us, 24 peers
    await neurons.getByRole('button', { name: 'Uid' }).click();
    await expect.poll(() => neurons.getByRole('row').nth(1).textContent()).toContain('you');
    await page.getByRole('img', { name: /Incentive of every miner/ }).waitFor();
    // The local subnet's own rules: Yuma's kappa, weights in the open and uncapped.
    const params = page.getByRole('region', { name: 'Subnet parameters' });
    await expect.poll(() => params.textContent()).toContain('Kappa0.500 of validator stake');
    expect(await params.textContent()).toMatch(
      /Commit-revealoff.*Max weights limit1\.000.*Empty \(deprecated\)trust, rank/,
    );
    await screenshot(page, 'metagraph-local');
    await page.getByRole('navigation').getByRole('link', { name: 'Overview', exact: true }).click();

    await page.getByRole('button', { name: 'Stop mining' }).click();
    await expect.poll(() => page.getByTestId('miner-state').textContent()).toBe('stopped');
    expect(errors).toEqual([]);
  });

  it('runs the second-stage server from Settings: ready once it answers, stopped on request', async () => {
    const host = await serve();
    const { page, errors } = await openConsole(host);
    await page.getByRole('link', { name: 'Settings' }).click();
    const vlmPort = await freePort();
    const fakeVllm = join(import.meta.dirname, '..', 'tests', 'fixtures', 'fake-vllm.mjs');
    await page.getByRole('textbox', { name: /^API/ }).fill(`http://127.0.0.1:${vlmPort}/v1`);
    await page
      .getByRole('textbox', { name: /Serve command/ })
      .fill(`"${process.execPath}" "${fakeVllm}" --port ${vlmPort} --load-ms 500`);
    await minerSettings(page).getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => minerSettings(page).getByRole('status').textContent()).toBe('Saved.');

    const server = page.getByRole('region', { name: 'Second-stage server' });
    await server.getByRole('button', { name: 'Start server' }).click();
    await expect.poll(() => server.locator('.state-pill').textContent(), { timeout: 20_000 }).toBe('Ready');
    await expect.poll(() => server.getByLabel('Its latest output').textContent()).toMatch(/Loading model weights/);
    await screenshot(page, 'settings-second-stage');
    await server.getByRole('button', { name: 'Stop server' }).click();
    await expect.poll(() => server.locator('.state-pill').textContent()).toBe('Not running');
    expect(errors).toEqual([]);
  });

  it('scrolls through a thousand challenges with only the rows on screen in the page', async () => {
    const data = await makeDataDir();
    cleanups.push(() => data.remove());
    // A history written before this console started, as a miner that ran all day leaves it.
    const database = openDatabase(join(data.dir, 'console.db'), MIGRATIONS);
    const history = new ChallengeLog(
      database,
      join(data.dir, 'images'),
      new LogService({ filePath: null }).forSource('t'),
    );
    for (let i = 0; i < 1500; i++) {
      await history.record({
        time: new Date(Date.UTC(2026, 10, 25, 8, 0, 0) + i * 1000).toISOString(),
        hotkey: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
        uid: i % 5,
        status: i % 10 === 0 ? 401 : 200,
        message: i % 10 === 0 ? 'the signature does not verify' : 'Success',
        latencyMs: 3 + (i % 7),
        prediction: i % 10 === 0 ? null : (i % 100) / 100,
        firstStage: null,
        secondStage: null,
        testnetLabel: null,
        image: null,
      });
    }
    database.close();
    const host = await startServe(data.dir);
    cleanups.push(() => host.stop());
    const { page, errors } = await openConsole(host);
    await page.getByRole('navigation').getByRole('link', { name: 'Challenges', exact: true }).click();
    await expect.poll(() => page.getByText(/shown of/).textContent()).toBe('1000 shown of 1000');
    const table = page.getByRole('table', { name: 'Challenges' });
    const renderedRows = () => table.locator('tbody tr:not([aria-hidden])').count();
    expect(await renderedRows()).toBeLessThan(60);
    // Newest first: the last one recorded is on top, the oldest kept is at the very bottom.
    await expect.poll(() => table.getByRole('row').nth(1).getAttribute('aria-rowindex')).toBe('2');
    await page.getByTestId('challenges-scroll').evaluate((element) => (element.scrollTop = element.scrollHeight));
    await expect
      .poll(() => table.locator('tbody tr:not([aria-hidden])').last().getAttribute('aria-rowindex'))
      .toBe('1001');
    expect(await renderedRows()).toBeLessThan(60);
    await page.getByLabel('Outcome').selectOption('refused');
    await expect.poll(() => page.getByText(/shown of/).textContent()).toBe('100 shown of 1000');
    expect(errors).toEqual([]);
  });

  it('is usable from the keyboard alone', async () => {
    const host = await serve();
    const { page } = await openConsole(host);
    await page.keyboard.press('Alt+3');
    await page.getByRole('heading', { level: 1, name: 'Metagraph' }).waitFor();

    let focused = '';
    for (let presses = 0; presses < 20 && focused !== 'Training'; presses++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
    }
    expect(focused).toBe('Training');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Training' }).waitFor();
  });

  it('says so when the back end goes away, and when a restarted one no longer accepts the session', async () => {
    const data = await makeDataDir();
    cleanups.push(() => data.remove());
    const first = await startServe(data.dir);
    const { page } = await openConsole(first);
    await first.stop();
    await page.getByRole('status').filter({ hasText: 'reconnecting' }).waitFor();

    const second = await startServe(data.dir, first.port);
    cleanups.push(() => second.stop());
    await page.getByRole('status').filter({ hasText: 'no longer accepted' }).waitFor({ timeout: 20_000 });
  });
});
