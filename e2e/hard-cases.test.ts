import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createHost } from '../main/host.js';
import { renderStreetImage } from '../main/scenes/generate.js';
import { makeDataDir, openConsolePage, screenshot, startServe, type ServeProcess, useChromium } from './harness.js';

const chromium = useChromium();
const { cleanups } = chromium;

const VALIDATOR = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';

/** Cases the miner was unsure of, as a day of mining leaves them: the least sure is case 0. */
async function plantCases(dataDir: string, count: number): Promise<void> {
  const host = await createHost({ kind: 'headless', dataDir });
  try {
    for (let i = 0; i < count; i++) {
      const image = (await renderStreetImage(500 + i, i % 2 === 0 ? 'roadwork' : 'none', 1)).jpeg;
      const prediction = 0.5 + i * 0.01;
      await host.hardCases.addImage(image, {
        source: 'challenge',
        time: new Date(Date.UTC(2026, 10, 25, 8, 0, i)).toISOString(),
        validator: VALIDATOR,
        prediction,
        firstStage: prediction,
        secondStage: null,
        testnetLabel: null,
      });
    }
  } finally {
    await host.close();
  }
}

async function serveWith(count: number): Promise<{ host: ServeProcess; dataDir: string }> {
  const data = await makeDataDir();
  cleanups.push(() => data.remove());
  await plantCases(data.dir, count);
  const host = await startServe(data.dir);
  cleanups.push(() => host.stop());
  return { host, dataDir: data.dir };
}

async function openHardCases(host: ServeProcess): Promise<{ page: Page; errors: string[] }> {
  const { context, page, errors } = await openConsolePage(chromium.browser, host.url);
  cleanups.push(() => context.close());
  await page.getByRole('navigation').getByRole('link', { name: 'Hard cases', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Hard cases' }).waitFor();
  return { page, errors };
}

const card = (page: Page, index: number) => page.locator(`#case-${index}`);
const labelOf = (page: Page, index: number) => card(page, index).getAttribute('data-label');

describe('hard cases in Chromium', () => {
  it('labels three cards dragged onto Roadwork, and they are still labelled after a reload', async () => {
    const { host } = await serveWith(9);
    const { page, errors } = await openHardCases(host);
    await expect.poll(() => page.getByTestId('gallery-total').textContent()).toBe('9 shown');
    await card(page, 2).locator('img').waitFor();

    // A drag-box from the grid's padding across the first three cards of the first row.
    const gallery = await page.getByTestId('gallery').boundingBox();
    const third = await card(page, 2).boundingBox();
    await page.mouse.move(gallery!.x + 3, gallery!.y + 3);
    await page.mouse.down();
    await page.mouse.move(third!.x + 20, third!.y + 20, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => page.locator('[role=option][aria-selected=true]').count()).toBe(3);

    await card(page, 1).dragTo(page.getByTestId('drop-roadwork'));
    for (const index of [0, 1, 2]) await expect.poll(() => labelOf(page, index)).toBe('roadwork');
    expect(await labelOf(page, 3)).toBe('unlabelled');
    await expect.poll(() => page.getByTestId('count-labelled').textContent()).toBe('3');
    expect(await page.getByTestId('count-remaining').textContent()).toBe('6');
    await screenshot(page, 'hard-cases');

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Hard cases' }).waitFor();
    // Unlabelled is the default view: the three are gone from it, and are the Roadwork view.
    await expect.poll(() => page.getByTestId('gallery-total').textContent()).toBe('6 shown');
    await page.getByLabel('Show').selectOption('roadwork');
    await expect.poll(() => page.getByTestId('gallery-total').textContent()).toBe('3 shown');
    for (const index of [0, 1, 2]) expect(await labelOf(page, index)).toBe('roadwork');
    expect(errors).toEqual([]);
  });

  it('labels from the keyboard, undoes and redoes, and undoes again after the console restarts', async () => {
    const { host, dataDir } = await serveWith(6);
    const { page, errors } = await openHardCases(host);
    await expect.poll(() => page.getByTestId('gallery-total').textContent()).toBe('6 shown');
    await card(page, 0).click();
    await page.keyboard.press('1');
    await page.keyboard.press('2');
    await page.keyboard.press('0');
    await expect.poll(() => labelOf(page, 2)).toBe('skip');
    expect([await labelOf(page, 0), await labelOf(page, 1)]).toEqual(['roadwork', 'none']);
    // Each label moved the focus on: the fourth card is next.
    expect(await page.getByTestId('gallery').getAttribute('aria-activedescendant')).toBe('case-3');

    await page.keyboard.press('Control+z');
    await expect.poll(() => labelOf(page, 2)).toBe('unlabelled');
    expect(await page.getByTestId('gallery').getAttribute('aria-activedescendant')).toBe('case-2');
    await page.keyboard.press('Control+Shift+Z');
    await expect.poll(() => labelOf(page, 2)).toBe('skip');

    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press(' ');
    const preview = page.getByRole('dialog', { name: 'Preview' });
    await expect.poll(() => preview.getByTestId('preview-label').textContent()).toBe('Skip');
    await preview.getByRole('img').waitFor();
    await page.keyboard.press('+');
    expect(await preview.getByTestId('preview-zoom').textContent()).toBe('1.5×');
    await page.keyboard.press(' ');
    await preview.waitFor({ state: 'detached' });

    // Undo survives a restart of the back end: the newest step is still the skip. (The first
    // page is closed first: it would rightly complain that its back end went away.)
    expect(errors).toEqual([]);
    await page.close();
    await host.stop();
    const again = await startServe(dataDir);
    cleanups.push(() => again.stop());
    const reopened = await openHardCases(again);
    await reopened.page.getByLabel('Show').selectOption('all');
    await expect.poll(() => labelOf(reopened.page, 2)).toBe('skip');
    await reopened.page.getByTestId('gallery').focus();
    await reopened.page.keyboard.press('Control+z');
    await expect.poll(() => labelOf(reopened.page, 2)).toBe('unlabelled');
    await expect.poll(() => reopened.page.getByTestId('count-labelled').textContent()).toBe('2');
    expect(reopened.errors).toEqual([]);
  });

  it('imports a dropped folder: its labels come with it, and the one corrupt file is refused by name', async () => {
    const { host, dataDir } = await serveWith(0);
    const folder = join(dataDir, '..', `drop-${Date.now()}`, 'street-photos');
    cleanups.push(() => rm(join(folder, '..'), { recursive: true, force: true }));
    await mkdir(join(folder, 'roadwork'), { recursive: true });
    await mkdir(join(folder, 'none'), { recursive: true });
    await writeFile(join(folder, 'roadwork', 'a.jpg'), (await renderStreetImage(1, 'roadwork', 0)).jpeg);
    await writeFile(join(folder, 'roadwork', 'b.jpg'), (await renderStreetImage(2, 'roadwork', 0)).jpeg);
    await writeFile(join(folder, 'none', 'c.jpg'), (await renderStreetImage(3, 'none', 0)).jpeg);
    const good = (await renderStreetImage(4, 'none', 0)).jpeg;
    await writeFile(join(folder, 'none', 'broken.jpg'), good.subarray(0, good.length / 3));

    const { page, errors } = await openHardCases(host);
    await page.getByTestId('import-folder').setInputFiles(folder);
    const verdicts = page.getByTestId('import-verdicts');
    await expect.poll(() => verdicts.locator('p').textContent()).toBe('Added 3, already there 0, refused 1.');
    expect(await verdicts.locator('li').textContent()).toMatch(/street-photos\/none\/broken\.jpg.*(truncated|decoded)/);
    await expect.poll(() => page.getByTestId('count-roadwork').textContent()).toMatch(/^2 /);
    expect(await page.getByTestId('count-none').textContent()).toMatch(/^1 /);
    await page.getByLabel('Show').selectOption('labelled');
    await expect.poll(() => page.getByTestId('gallery-total').textContent()).toBe('3 shown');
    expect(errors).toEqual([]);
  });
});
