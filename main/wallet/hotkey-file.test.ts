import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { mnemonicGenerate, mnemonicToMiniSecret } from '@polkadot/util-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { signaturesReady, verifyHotkeySignature } from '../bittensor/signature.js';
import { useTempDirs } from '../../tests/temp-dir.js';
import { hotkeyFilePath, isExposed, loadHotkey, WalletError } from './hotkey-file.js';

const tempDir = useTempDirs();
let phrase: string;
let expected: { address: string; publicKey: string; seed: string };

beforeAll(async () => {
  await signaturesReady();
  phrase = mnemonicGenerate(12);
  const pair = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(phrase);
  expected = {
    address: pair.address,
    publicKey: u8aToHex(pair.publicKey),
    seed: u8aToHex(mnemonicToMiniSecret(phrase)),
  };
});

/** A wallet laid out as btcli writes it. */
async function wallet(
  contents: string | Record<string, unknown>,
): Promise<{ walletsPath: string; wallet: string; hotkey: string }> {
  const walletsPath = await tempDir();
  const location = { walletsPath, wallet: 'miner', hotkey: 'default' };
  await mkdir(join(walletsPath, 'miner', 'hotkeys'), { recursive: true });
  await writeFile(hotkeyFilePath(location), typeof contents === 'string' ? contents : JSON.stringify(contents), {
    mode: 0o600,
  });
  return location;
}

const keyfile = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  accountId: expected.publicKey,
  publicKey: expected.publicKey,
  privateKey: '0x' + '11'.repeat(64),
  secretPhrase: phrase,
  secretSeed: expected.seed,
  ss58Address: expected.address,
  ...overrides,
});

describe('loading a btcli hotkey', () => {
  it('loads from the secret phrase and signs as that hotkey', async () => {
    const hotkey = await loadHotkey(await wallet(keyfile()));
    expect(hotkey.ss58Address).toBe(expected.address);
    const signature = hotkey.sign('1.a.b.c.d');
    expect(verifyHotkeySignature('1.a.b.c.d', signature, expected.address)).toBe(true);
  });

  it('loads from the 32-byte secret seed when there is no phrase', async () => {
    const hotkey = await loadHotkey(await wallet(keyfile({ secretPhrase: null })));
    expect(hotkey.ss58Address).toBe(expected.address);
  });

  it('never exposes the secret on the object it returns', async () => {
    const hotkey = await loadHotkey(await wallet(keyfile()));
    const visible = JSON.stringify(hotkey) + Object.keys(hotkey).join();
    expect(visible).not.toContain(phrase.split(' ')[0]!);
    expect(visible).not.toContain(expected.seed.slice(2, 20));
  });

  it('names the file and says what to do when it is missing, corrupt, encrypted, legacy or inconsistent', async () => {
    const missing = { walletsPath: await tempDir(), wallet: 'nobody', hotkey: 'default' };
    await expect(loadHotkey(missing)).rejects.toThrow(
      /No hotkey file at .*nobody\/hotkeys\/default: create one with `btcli wallet new_hotkey/,
    );
    await expect(loadHotkey(await wallet('{"secretPhrase": '))).rejects.toThrow(/is not a btcli keyfile/);
    await expect(loadHotkey(await wallet('$NACL' + 'x'.repeat(80)))).rejects.toThrow(/is encrypted/);
    await expect(loadHotkey(await wallet('gAAAAAB' + 'x'.repeat(80)))).rejects.toThrow(/old btcli encryption/);
    await expect(loadHotkey(await wallet(keyfile({ secretPhrase: null, secretSeed: 'nope' })))).rejects.toThrow(
      /neither a valid secretPhrase/,
    );
    await expect(loadHotkey(await wallet(keyfile({ publicKey: '0x' + '22'.repeat(32) })))).rejects.toThrow(
      /inconsistent/,
    );
    await expect(loadHotkey(missing)).rejects.toBeInstanceOf(WalletError);
    await expect(loadHotkey(missing)).rejects.toMatchObject({ problem: 'missing' });
    await expect(loadHotkey(await wallet('$NACL' + 'x'.repeat(80)))).rejects.toMatchObject({ problem: 'encrypted' });
  });

  it('tells when the file is readable by others', async () => {
    const location = await wallet(keyfile());
    expect(await isExposed(hotkeyFilePath(location))).toBe(false);
    await chmod(hotkeyFilePath(location), 0o644);
    expect(await isExposed(hotkeyFilePath(location))).toBe(true);
  });
});
