import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { mnemonicGenerate, mnemonicToMiniSecret } from '@polkadot/util-crypto';
import { signaturesReady } from '../bittensor/signature.js';
import type { HotkeyLocation } from './hotkey-file.js';

/**
 * On the local rehearsal network a miner needs no real wallet: the console makes one hotkey for
 * it, once, in btcli's layout inside its own data folder (mode 0600), and reuses it after.
 */
export async function ensureLocalHotkey(dataDir: string): Promise<HotkeyLocation> {
  const location = { walletsPath: join(dataDir, 'local-subnet', 'wallets'), wallet: 'local', hotkey: 'miner' };
  const path = join(location.walletsPath, location.wallet, 'hotkeys', location.hotkey);
  try {
    await readFile(path);
    return location;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await signaturesReady();
  const phrase = mnemonicGenerate(12);
  const pair = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(phrase);
  const publicKey = u8aToHex(pair.publicKey);
  await mkdir(join(location.walletsPath, location.wallet, 'hotkeys'), { recursive: true, mode: 0o700 });
  const keyfile = {
    accountId: publicKey,
    publicKey,
    secretPhrase: phrase,
    secretSeed: u8aToHex(mnemonicToMiniSecret(phrase)),
    ss58Address: pair.address,
  };
  await writeFile(path, JSON.stringify(keyfile), { mode: 0o600, flag: 'wx' });
  return location;
}
