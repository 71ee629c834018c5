import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost } from '../main/host.js';
import { DEFAULT_HELD_OUT, isHeldOut } from '../main/hardcases/export-dataset.js';
import { HardCaseStore, importedSighting } from '../main/hardcases/hard-case-store.js';
import { renderStreetImage } from '../main/scenes/generate.js';
import { startSshd, type SshdFixture } from '../tests/sshd-fixture.js';
import { launchChromium, makeDataDir, openConsolePage, screenshot, startServe } from './harness.js';

let browser: Browser;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await browser.close();
});

/**
 * A console that has labelled a few cases and set up the loopback sshd as its trainer host,
 * its key approved, as an operator leaves it after Settings (e2e/trainer-settings.test.ts drives
 * that part through the page).
 */
async function plantConsole(dataDir: string, sshd: SshdFixture): Promise<void> {
  const host = await createHost({ kind: 'headless', dataDir });
  try {
    const { commands } = host.api;
    await commands['settings.update']({
      training: { hosts: [sshd.host], defaultHostId: sshd.host.id, batchSize: 4, syntheticShare: 0 },
    });
    const key = await commands['training.hostKey']({ hostId: sshd.host.id });
    if (key.state !== 'new') throw new Error(`expected a new host key, got ${key.state}: ${key.message}`);
    await commands['training.trustHostKey']({ hostId: sshd.host.id, fingerprint: key.fingerprint });
    // 16 labelled cases, at least 2 of them in the held-out set (the split follows each image's
    // hash, so which scenes land there changes whenever the scene renderer does).
    let heldOut = 0;
    for (let seed = 0, added = 0; added < 16 || heldOut < 2; seed++) {
      const label = seed % 2 === 0 ? 'roadwork' : 'none';
      const { jpeg } = await renderStreetImage(900 + seed, label);
      const held = isHeldOut(HardCaseStore.hashOf(jpeg), DEFAULT_HELD_OUT);
      if (added >= 16 && !held) continue;
      const { hash } = await host.hardCases.addImage(jpeg, importedSighting());
      host.hardCases.label([hash], label, 'e2e');
      added += 1;
      if (held) heldOut += 1;
    }
  } finally {
    await host.close();
  }
}

describe('the Training page in Chromium, training on a real sshd', () => {
  it('starts a short CPU run, follows it from running to done with its curves and log, compares and cancels a second', async () => {
    const sshd = await startSshd({ trusted: false });
    cleanups.push(() => sshd.stop());
    const data = await makeDataDir();
    cleanups.push(() => data.remove());
    await plantConsole(data.dir, sshd);
    const serve = await startServe(data.dir);
    cleanups.push(() => serve.stop());
    const { context, page, errors } = await openConsolePage(browser, serve.url);
    cleanups.push(() => context.close());
    await page.getByRole('navigation').getByRole('link', { name: 'Training', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Training' }).waitFor();

    const form = page.getByRole('form', { name: 'Start a run' });
    expect(await form.getByLabel('Host').inputValue()).toBe(sshd.host.id);
    // A scene-generation job asks how many images, not epochs; training asks for the device too.
    await form.getByRole('radio', { name: 'Generate scenes' }).check();
    expect(await form.getByLabel('Images').getAttribute('placeholder')).toBe('200');
    expect(await form.getByLabel('Epochs').count()).toBe(0);
    await form.getByRole('radio', { name: 'Train' }).check();
    await form.getByLabel('Device').selectOption('cpu');
    await form.getByLabel('Epochs').fill('5');
    await form.getByLabel('Max steps').fill('20');
    await form.getByRole('button', { name: 'Start run' }).click();

    const row = page.locator('.run-row').first();
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 60_000, interval: 100 }).toBe('running');
    const detail = page.getByTestId('run-detail');
    expect(await detail.textContent()).toContain('5 epochs, at most 20 steps, batch 4');
    await expect
      .poll(() => row.getAttribute('data-state'), { timeout: 150_000, interval: 250 })
      .toMatch(/done|failed|cancelled/);
    expect([await row.getAttribute('data-state'), await row.locator('.run-reason').allTextContents()]).toEqual([
      'done',
      [],
    ]);

    // The curves are drawn: a line per metric, the held-out scores once per epoch.
    const curves = detail.getByTestId('run-curves');
    await expect.poll(async () => Number(await curves.getAttribute('data-points'))).toBeGreaterThanOrEqual(2);
    for (const chart of ['Loss per step', 'Accuracy and MCC per step', 'Held-out accuracy and MCC per epoch']) {
      await expect
        .poll(() => curves.getByTestId(`chart-${chart}`).locator('path.recharts-line-curve').count())
        .toBeGreaterThan(0);
    }
    await expect.poll(() => detail.getByTestId('run-log').textContent()).toMatch(/\S/);
    expect(await detail.getByRole('button', { name: 'Cancel run' }).count()).toBe(0);
    await detail.getByTestId('run-log').scrollIntoViewIfNeeded();
    await page.getByRole('heading', { level: 1, name: 'Training' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'training');

    // A second, longer run: its curves beside the first one's on the same axes, then cancelled.
    const firstId = await row.getAttribute('data-testid');
    await form.getByLabel('Epochs').fill('200');
    await form.getByLabel('Max steps').fill('');
    await form.getByRole('button', { name: 'Start run' }).click();
    const second = page.locator('.run-row').first();
    await expect.poll(() => second.getAttribute('data-testid')).not.toBe(firstId);
    await expect.poll(() => second.getAttribute('data-state'), { timeout: 60_000, interval: 250 }).toBe('running');
    await expect
      .poll(async () => Number(await curves.getAttribute('data-points')), { timeout: 60_000, interval: 250 })
      .toBeGreaterThanOrEqual(2);
    await page.getByTestId(firstId!).getByLabel('Compare').check();
    const lossLines = curves.getByTestId('chart-Loss per step').locator('path.recharts-line-curve');
    await expect.poll(() => lossLines.count()).toBe(2);
    expect(await curves.getByText('Loss (B)').count()).toBe(1);
    await screenshot(page, 'training-compare');

    await detail.getByRole('button', { name: 'Cancel run' }).click();
    await expect.poll(() => second.getAttribute('data-state'), { timeout: 60_000, interval: 250 }).toBe('cancelled');
    expect(errors).toEqual([]);
  }, 240_000);
});
