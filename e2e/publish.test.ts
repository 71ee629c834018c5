import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelCardSchema } from '../shared/domain/publish.js';
import { startHubStandIn } from '../tests/hf-hub-stand-in.js';
import { startNatixStandIn } from '../tests/natix-stand-in.js';
import { makeDataDir, openConsolePage, screenshot, startServe, useChromium } from './harness.js';

const chromium = useChromium();
const { cleanups } = chromium;

describe('publishing from the Models page', { timeout: 120_000 }, () => {
  it('keeps a token, uploads the model with its card to the Hub, shows the repo URL and registers with NATIX', async () => {
    const hub = await startHubStandIn({ multipartThreshold: 512 * 1024, chunkSize: 256 * 1024 });
    cleanups.push(() => hub.close());
    const natix = await startNatixStandIn({ pendingPolls: 1 });
    cleanups.push(() => natix.close());
    const data = await makeDataDir();
    cleanups.push(() => data.remove());
    // The console's Hub and NATIX server: the loopback stand-ins.
    await writeFile(
      join(data.dir, 'settings.json'),
      JSON.stringify({ publish: { hfEndpoint: hub.url, natixServer: natix.url } }),
    );
    const host = await startServe(data.dir);
    cleanups.push(() => host.stop());
    const { context, page, errors } = await openConsolePage(chromium.browser, host.url);
    cleanups.push(() => context.close());

    await page.getByRole('navigation').getByRole('link', { name: 'Models', exact: true }).click();
    await page.getByTestId('model-row-default-1.0.0').click();
    const detail = page.getByRole('region', { name: 'Model default-1.0.0' });
    await detail.getByRole('button', { name: 'Publish…' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByTestId('token-status').textContent()).toMatch(/No token yet/);
    expect(await dialog.getByTestId('publish-rehearsal').textContent()).toMatch(/Rehearsal/);

    const tokenField = dialog.getByLabel('Token', { exact: true });
    expect(await tokenField.getAttribute('type')).toBe('password');
    await tokenField.fill(hub.token);
    await dialog.getByRole('button', { name: 'Keep token' }).click();
    await expect.poll(() => dialog.getByTestId('token-status').textContent()).toMatch(/^Set for operator/);
    // The field is emptied and the page never holds the token again.
    expect(await tokenField.inputValue()).toBe('');

    await dialog.getByLabel('Repo', { exact: true }).fill('operator/roadwork-miner');
    await expect.poll(() => dialog.getByTestId('model-card-preview').textContent()).toMatch(/"version": "1\.0\.0"/);
    await dialog.getByRole('button', { name: 'Upload to Hugging Face' }).click();
    const result = dialog.getByTestId('publish-result');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.textContent()).toContain(`${hub.url}/operator/roadwork-miner`);
    const card = ModelCardSchema.parse(
      JSON.parse(hub.repos.get('operator/roadwork-miner')!.files.get('model_card.json')!.toString('utf8')),
    );
    expect(await dialog.getByTestId('model-card-preview').textContent()).toContain(card.submitted_by);

    await dialog.getByLabel('uid', { exact: true }).fill('3');
    await dialog.getByRole('button', { name: 'Register with NATIX' }).click();
    await expect
      .poll(() => dialog.getByTestId('registration-status').textContent(), { timeout: 20_000 })
      .toMatch(/^succeeded \(uid 3\): Rehearsal \(local hotkey\): Registered with NATIX/);
    expect(natix.registrations[0]).toMatchObject({ uid: '3', model_repo: 'operator/roadwork-miner', type: 'miner' });
    await screenshot(page, 'publish');

    expect(await page.content()).not.toContain(hub.token);
    const log = await readFile(join(data.dir, 'logs', 'console.log'), 'utf8');
    expect(log).not.toContain(hub.token);
    expect(errors).toEqual([]);
  });
});
