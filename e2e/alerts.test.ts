import { describe, expect, it } from 'vitest';
import { makeDataDir, openConsolePage, screenshot, startServe, useChromium } from './harness.js';

const chromium = useChromium();
const { cleanups } = chromium;

const DAY_MS = 86_400_000;

describe('alerts', { timeout: 120_000 }, () => {
  it('the live model marked published 62 days ago raises an alert in the bell and on the Overview; acknowledged there, resolved once switched off in Settings', async () => {
    const data = await makeDataDir();
    cleanups.push(() => data.remove());
    const host = await startServe(data.dir);
    cleanups.push(() => host.stop());
    const { context, page, errors } = await openConsolePage(chromium.browser, host.url);
    cleanups.push(() => context.close());

    const overviewAlerts = page.getByRole('region', { name: 'Alerts', exact: true });
    await overviewAlerts.getByTestId('alerts-empty').waitFor();
    expect(await page.getByTestId('alerts-count').count()).toBe(0);

    await page.getByRole('navigation').getByRole('link', { name: 'Models', exact: true }).click();
    await page.getByTestId('model-row-default-1.0.0').click();
    const detail = page.getByRole('region', { name: 'Model default-1.0.0' });
    await detail.getByLabel('Published on').fill(new Date(Date.now() - 62 * DAY_MS).toISOString().slice(0, 10));
    await detail.getByRole('button', { name: 'Mark published' }).click();

    // The bell counts it on any page.
    await expect.poll(() => page.getByTestId('alerts-count').textContent()).toBe('1');
    await page.getByRole('navigation').getByRole('link', { name: 'Overview', exact: true }).click();
    const alert = overviewAlerts.getByTestId('alert-item');
    await alert.waitFor();
    expect(await alert.getAttribute('data-kind')).toBe('model-age');
    expect(await alert.textContent()).toMatch(
      /Model ageing.*The live model default-1\.0\.0 was published 6[12] days ago/,
    );
    await screenshot(page, 'alerts');

    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => alert.textContent()).toMatch(/Acknowledged/);
    expect(await page.getByTestId('alerts-count').count()).toBe(0);
    // Still active (the model is still old), acknowledged in the bell's list too.
    await page.getByTestId('alerts-bell').click();
    const panel = page.getByRole('region', { name: 'Alerts list' });
    expect(await panel.getByTestId('alert-item').textContent()).toMatch(/Acknowledged/);

    // Switched off in Settings, the kind stops holding: the alert resolves.
    await page.getByRole('navigation').getByRole('link', { name: 'Settings', exact: true }).click();
    const form = page.getByRole('form', { name: 'Alert settings' });
    await form.getByLabel('The live model reached day 60, 75 or 90').uncheck();
    await form.getByRole('button', { name: 'Save alert settings' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toBe('Saved.');
    await page.getByRole('navigation').getByRole('link', { name: 'Overview', exact: true }).click();
    await overviewAlerts.getByTestId('alerts-empty').waitFor();
    expect(errors).toEqual([]);
  });
});
