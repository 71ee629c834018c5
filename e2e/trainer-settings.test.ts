import { spawnSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startSshd } from '../tests/sshd-fixture.js';
import { makeDataDir, openConsolePage, screenshot, startServe, useChromium } from './harness.js';

const chromium = useChromium();
const { cleanups } = chromium;

async function openSettings(url: string): Promise<{ page: Page; errors: string[] }> {
  const { context, page, errors } = await openConsolePage(chromium.browser, url);
  cleanups.push(() => context.close());
  await page.getByRole('navigation').getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  return { page, errors };
}

describe('trainer hosts in Settings, against a real sshd', () => {
  it('adds a host, trusts its key, tests it, refuses the key once it changes, edits and removes it', async () => {
    const sshd = await startSshd({ trusted: false });
    cleanups.push(() => sshd.stop());
    const data = await makeDataDir();
    cleanups.push(() => data.remove());
    const serve = await startServe(data.dir);
    cleanups.push(() => serve.stop());
    const { page, errors } = await openSettings(serve.url);

    const hosts = page.getByRole('region', { name: 'Trainer hosts' });
    await hosts.getByRole('button', { name: 'Add a host' }).click();
    const form = page.getByRole('form', { name: 'Add a host' });
    await form.getByLabel('Name').fill('loopback sshd');
    await form.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await form.getByLabel('Port').fill('twenty-two');
    await form.getByLabel('User').fill(sshd.host.user);
    await form.getByRole('textbox', { name: 'Key file' }).fill(sshd.host.keyFile!);
    await form.getByLabel('Work folder on the host').fill('relative/work');
    await form.getByLabel('Python command').fill('/usr/bin/python3');
    await form.getByRole('button', { name: 'Save host' }).click();
    // The host schema's messages, each by its field; nothing saved yet.
    await expect.poll(() => form.getByLabel('Port').getAttribute('aria-invalid')).toBe('true');
    expect(await form.locator('.field-error').allTextContents()).toEqual([
      'must be a number',
      'must start with "/" or "~/"',
    ]);
    await form.getByLabel('Port').fill(String(sshd.host.port));
    await form.getByLabel('Work folder on the host').fill(sshd.host.workDir);
    expect(await form.locator('.field-error').count()).toBe(0);
    await form.getByRole('button', { name: 'Save host' }).click();

    const row = page.getByTestId('trainer-host-loopback-sshd');
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain(`${sshd.host.user}@127.0.0.1:${sshd.host.port}`);
    expect(await row.textContent()).toContain('Default');

    // A key never seen: its fingerprint, to compare and trust explicitly.
    await row.getByRole('button', { name: 'Check host key' }).click();
    await expect.poll(() => row.getByTestId('new-fingerprint').textContent()).toBe(sshd.hostKeyFingerprint);
    await row.getByRole('button', { name: 'Trust this key' }).click();
    await expect.poll(() => row.locator('.key-trusted').count()).toBe(1);

    await row.getByRole('button', { name: 'Test connection' }).click();
    const check = (id: string) => row.locator(`[data-check=${id}]`);
    await expect.poll(() => check('torch').getAttribute('data-status'), { timeout: 45_000, interval: 250 }).toBe('ok');
    expect(await check('ssh').getAttribute('data-status')).toBe('ok');
    expect(await check('python').getAttribute('data-status')).toBe('ok');
    expect(await check('python').textContent()).toContain('/usr/bin/python3');
    expect(await check('torch').textContent()).toContain('PyTorch');
    // CUDA as the box's PyTorch sees it (here the box is this machine).
    const cudaHere = spawnSync('/usr/bin/python3', ['-c', 'import torch; print(torch.cuda.is_available())'], {
      encoding: 'utf8',
    }).stdout.trim();
    expect(await check('cuda').getAttribute('data-status')).toBe(cudaHere === 'True' ? 'ok' : 'missing');
    for (const id of ['cuda', 'gpu', 'disk'])
      expect(await check(id).locator('.check-message').textContent()).not.toBe('');
    await screenshot(page, 'trainer-hosts');

    // The box comes back with another key: refused, in red, with both fingerprints.
    const oldFingerprint = sshd.hostKeyFingerprint;
    const newFingerprint = await sshd.restartWithNewHostKey();
    await row.getByRole('button', { name: 'Check host key' }).click();
    const refusal = row.locator('.key-changed');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Refused');
    expect(await row.getByTestId('expected-fingerprint').textContent()).toBe(oldFingerprint);
    expect(await row.getByTestId('presented-fingerprint').textContent()).toBe(newFingerprint);
    expect(await refusal.evaluate((element) => getComputedStyle(element).color)).toBe('rgb(255, 93, 93)');

    // Forgetting the old key is deliberate: it asks first, then shows the new key to approve.
    await row.getByRole('button', { name: 'Forget the old key…' }).click();
    await row
      .getByRole('alertdialog', { name: 'Forget the old key?' })
      .getByRole('button', { name: 'Forget it' })
      .click();
    await expect.poll(() => row.getByTestId('new-fingerprint').textContent()).toBe(newFingerprint);

    // The host is in the settings on disk: a reload still lists it.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    const reloaded = page.getByTestId('trainer-host-loopback-sshd');
    await reloaded.waitFor();

    // Edited in place (the id, and so the runs' link to it, stays); removed only when confirmed.
    await reloaded.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit loopback sshd' });
    await edit.getByLabel('Name').fill('loopback box');
    await edit.getByRole('button', { name: 'Save host' }).click();
    await expect.poll(() => reloaded.locator('strong').textContent()).toBe('loopback box');
    await reloaded.getByRole('button', { name: 'Remove…' }).click();
    await reloaded.getByRole('group', { name: 'Remove loopback box?' }).getByRole('button', { name: 'Remove' }).click();
    await hosts.getByText('No trainer host yet.').waitFor();
    expect(errors).toEqual([]);
  });
});
