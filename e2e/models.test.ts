import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { copyOfShippedModel } from '../main/models/model-fixtures.js';
import { makeDataDir, openConsolePage, screenshot, startServe, useChromium } from './harness.js';

const chromium = useChromium();
const { cleanups } = chromium;

const DAY_MS = 86_400_000;

describe('the Models page', { timeout: 120_000 }, () => {
  it('imports a candidate, evaluates it beside the live model, deploys it with confirmation and rolls back', async () => {
    const data = await makeDataDir();
    cleanups.push(() => data.remove());
    const candidateDir = await copyOfShippedModel(`${data.dir}-candidate`, '1.0.1');
    cleanups.push(() => rm(candidateDir, { recursive: true, force: true }));
    const host = await startServe(data.dir);
    cleanups.push(() => host.stop());
    const { context, page, errors } = await openConsolePage(chromium.browser, host.url);
    cleanups.push(() => context.close());

    await page.getByRole('navigation').getByRole('link', { name: 'Models', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Models' }).waitFor();
    const shipped = page.getByTestId('model-row-default-1.0.0');
    await expect.poll(() => shipped.textContent()).toContain('Live');

    await page.getByLabel('Model folder').fill(candidateDir);
    await page.getByRole('form', { name: 'Import a model' }).getByRole('button', { name: 'Import' }).click();
    const candidate = page.getByTestId('model-row-default-1.0.1');
    await candidate.waitFor();
    const detail = page.getByRole('region', { name: 'Model default-1.0.1' });
    const deploy = detail.getByRole('button', { name: 'Deploy', exact: true });
    // Not judged yet: the gate has nothing to go on, and the button says why it is off.
    expect(await deploy.isDisabled()).toBe(true);
    expect(await detail.getByTestId('deploy-blocker').textContent()).toMatch(/Evaluate it first/);

    await detail.getByRole('button', { name: 'Evaluate' }).click();
    const comparison = detail.getByRole('table', { name: 'Candidate against live' });
    await comparison.waitFor({ timeout: 90_000 });
    expect(await comparison.getByRole('row', { name: /^MCC/ }).textContent()).toMatch(/\+0\.000/);
    // No labelled photos: the rehearsal says it judged on generated scenes only.
    expect(
      await detail.getByText('Rehearsal judged on generated scenes only: not comparable with mainnet.').count(),
    ).toBe(1);
    expect(await candidate.textContent()).toContain('Gate passes');

    // Published 62 days ago: the day-60 warning shows in the table.
    const published = new Date(Date.now() - 62 * DAY_MS).toISOString().slice(0, 10);
    await detail.getByLabel('Published on').fill(published);
    await detail.getByRole('button', { name: 'Mark published' }).click();
    await expect.poll(() => candidate.textContent()).toMatch(/Day 6[12]: full reward over.*Day 60/);
    await screenshot(page, 'models');

    await deploy.click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByTestId('deploy-verdict').textContent()).toMatch(/^Passes: MCC/);
    await dialog.getByRole('button', { name: 'Deploy' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => candidate.textContent()).toContain('Live');
    expect(await shipped.textContent()).not.toContain('Live');

    await page.getByRole('button', { name: 'Roll back to default-1.0.0' }).click();
    await expect.poll(() => shipped.textContent()).toContain('Live');
    expect(await candidate.textContent()).not.toContain('Live');
    expect(await page.getByRole('button', { name: 'Rollback' }).isDisabled()).toBe(true);
    expect(errors).toEqual([]);
  });
});
