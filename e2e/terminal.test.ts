import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startSshd } from '../tests/sshd-fixture.js';
import { makeDataDir, openConsolePage, screenshot, startServe, useChromium, updateSettings } from './harness.js';

const chromium = useChromium();
const { cleanups } = chromium;

async function goTo(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

/** What the active terminal shows, row by row, as xterm.js renders it. */
function screenText(page: Page): Promise<string> {
  return page.locator('.terminal-page:not([hidden]) .xterm-rows').innerText();
}

describe('terminals to the trainer host, in Chromium against a real sshd', () => {
  it('types into a tab, keeps it across pages, opens a second one, and another console follows the tabs live', async () => {
    const sshd = await startSshd();
    cleanups.push(() => sshd.stop());
    const data = await makeDataDir();
    cleanups.push(() => data.remove());
    // The console trusts the host key it keeps in its own known_hosts.
    await mkdir(join(data.dir, 'ssh'), { recursive: true, mode: 0o700 });
    await copyFile(sshd.knownHostsPath, join(data.dir, 'ssh', 'known_hosts'));
    const serve = await startServe(data.dir);
    cleanups.push(() => serve.stop());
    await updateSettings(serve, { training: { hosts: [sshd.host] } });

    const { context, page, errors } = await openConsolePage(chromium.browser, serve.url);
    cleanups.push(() => context.close());
    await goTo(page, 'Training');
    const panel = page.getByRole('region', { name: 'Terminals' });
    await panel.getByRole('button', { name: 'Open a terminal' }).click();
    await expect.poll(() => panel.getByRole('tab').count()).toBe(1);
    await page.locator('.terminal-page:not([hidden]) .xterm-rows').waitFor();

    // Typed into xterm (it has the focus), answered by the host's shell.
    await page.locator('.terminal-page:not([hidden]) .xterm').click();
    await page.keyboard.type('echo $((6*7)) $((1+2))$((3+4))\n');
    await expect.poll(() => screenText(page), { timeout: 15_000 }).toMatch(/^42 37$/m);
    // Colours arrive through the CSP-safe stylesheets: a red word is red.
    await page.keyboard.type("printf '\\033[31mRED\\033[0m\\n'\n");
    const red = page.locator('.terminal-page:not([hidden]) .xterm-rows span', { hasText: /^RED$/ });
    await expect.poll(() => red.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await red.first().evaluate((span) => getComputedStyle(span).color)).toMatch(/^rgb\((\d+), (\d+), (\d+)\)$/);
    const [r = 0, g = 0] = (await red.first().evaluate((span) => getComputedStyle(span).color))
      .match(/\d+/g)!
      .map(Number);
    expect(r).toBeGreaterThan(150);
    expect(g).toBeLessThan(120);
    await screenshot(page, 'training-terminal');

    // Away and back: the session lives in the back end, and the screen comes back.
    await goTo(page, 'Overview');
    await goTo(page, 'Training');
    await expect.poll(() => panel.getByRole('tab').count()).toBe(1);
    await expect.poll(() => screenText(page), { timeout: 15_000 }).toMatch(/^42 37$/m);

    // A second tab, to the same host, with its own shell.
    await panel.getByRole('button', { name: 'Open a terminal' }).click();
    await expect.poll(() => panel.getByRole('tab').count()).toBe(2);
    await expect(panel.getByRole('tab', { selected: true }).textContent()).resolves.toContain('#2');
    await page.locator('.terminal-page:not([hidden]) .xterm').click();
    await page.keyboard.type('echo second-$((2*21))\n');
    await expect.poll(() => screenText(page), { timeout: 15_000 }).toMatch(/^second-42$/m);
    expect(await screenText(page)).not.toMatch(/^42 37$/m);

    // Another console on the same back end follows the tabs live: closed here, gone there.
    const other = await openConsolePage(chromium.browser, serve.url);
    cleanups.push(() => other.context.close());
    await goTo(other.page, 'Training');
    const otherPanel = other.page.getByRole('region', { name: 'Terminals' });
    await expect.poll(() => otherPanel.getByRole('tab').count()).toBe(2);
    await panel.getByRole('button', { name: /^Close .*#2$/ }).click();
    await expect.poll(() => otherPanel.getByRole('tab').count()).toBe(1);
    expect(await panel.getByRole('tab').count()).toBe(1);

    expect([...errors, ...other.errors]).toEqual([]);
  });
});
