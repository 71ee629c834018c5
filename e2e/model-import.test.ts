import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHubStandIn } from '../tests/hf-hub-stand-in.js';
import { writeFakeTransformers } from '../tests/trainer-fixture.js';
import { makeDataDir, openConsolePage, startServe, updateSettings, useChromium } from './harness.js';

const chromium = useChromium();
const { cleanups } = chromium;

describe('importing a model from Hugging Face, in Chromium', () => {
  it('downloads the base model from the Hub, converts it here and registers it', async () => {
    // The Hub: a loopback stand-in with the Hub's URL layout, holding a small ViT-like classifier.
    const hub = await startHubStandIn();
    cleanups.push(() => hub.close());
    hub.addRepo('natix-network-org/roadwork', {
      'config.json': JSON.stringify({
        architectures: ['ViTForImageClassification'],
        id2label: { 0: 'None', 1: 'Roadwork' },
      }),
      'preprocessor_config.json': JSON.stringify({ image_mean: [0.5, 0.5, 0.5], image_std: [0.5, 0.5, 0.5] }),
      'model.safetensors': randomBytes(64 * 1024),
    });
    // Debian's PyTorch with the stand-in `transformers` package: what convert.py runs with here.
    const pythonDir = await mkdtemp(join(tmpdir(), 'sv-e2e-python-'));
    cleanups.push(() => rm(pythonDir, { recursive: true, force: true }));
    const site = await writeFakeTransformers(join(pythonDir, 'site'));
    const python = join(pythonDir, 'python3');
    await writeFile(python, `#!/bin/sh\nPYTHONPATH=${site} exec /usr/bin/python3 "$@"\n`);
    await chmod(python, 0o755);

    const data = await makeDataDir();
    cleanups.push(() => data.remove());
    const serve = await startServe(data.dir, 0, { STREETVISION_PYTHON: python });
    cleanups.push(() => serve.stop());
    await updateSettings(serve, { publish: { hfEndpoint: hub.url } });

    const { context, page, errors } = await openConsolePage(chromium.browser, serve.url);
    cleanups.push(() => context.close());
    await page.getByRole('navigation').getByRole('link', { name: 'Models', exact: true }).click();
    const form = page.getByRole('region', { name: 'Import from Hugging Face' });
    // The subnet's base model is what the form offers first.
    expect(await form.getByLabel('Repository').inputValue()).toBe('natix-network-org/roadwork');
    await form.getByLabel('Convert on').selectOption('local');
    await form.getByRole('button', { name: 'Import' }).click();

    const progress = form.getByTestId('hf-import-progress');
    await expect.poll(() => progress.getAttribute('class'), { timeout: 60_000 }).toMatch(/phase-(done|failed)/);
    expect(await progress.textContent()).not.toMatch(/failed/i);
    await progress.getByRole('button', { name: /^Show / }).click();
    const rows = page.locator('[data-testid^=model-row-]');
    expect(await rows.count()).toBe(2);
    expect(await page.getByRole('table').textContent()).toMatch(/Imported/);
    expect(errors).toEqual([]);
  });
});
