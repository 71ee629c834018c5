/**
 * Loads a hotkey from btcli's wallet layout: `<wallets>/<name>/hotkeys/<hotkey>`, a JSON keyfile
 * (usually unencrypted). The secret stays inside the returned signer; nothing here logs it, and
 * the coldkey is never touched.
 */
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { hexToU8a, isHex, stringToU8a, u8aToHex } from '@polkadot/util';
import { signaturesReady } from '../bittensor/signature.js';

export type WalletProblem = 'missing' | 'unreadable' | 'encrypted' | 'legacy' | 'corrupt' | 'inconsistent';

/** A hotkey that cannot be used, with what is wrong for callers and a sentence for the operator. */
export class WalletError extends Error {
  constructor(
    readonly problem: WalletProblem,
    message: string,
  ) {
    super(message);
  }
}

export interface Hotkey {
  readonly ss58Address: string;
  readonly publicKey: string;
  /** sr25519 over the raw UTF-8 message; returns 0x + 128 hex. */
  sign(message: string): string;
  /** sr25519 over raw bytes (an extrinsic's payload). */
  signBytes(data: Uint8Array): Uint8Array;
}

export interface HotkeyLocation {
  walletsPath: string;
  wallet: string;
  hotkey: string;
}

export function hotkeyFilePath(location: HotkeyLocation): string {
  const base = location.walletsPath.startsWith('~')
    ? join(homedir(), location.walletsPath.slice(1))
    : location.walletsPath;
  return join(base, location.wallet, 'hotkeys', location.hotkey);
}

export async function loadHotkey(location: HotkeyLocation): Promise<Hotkey> {
  const path = hotkeyFilePath(location);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new WalletError(
        'missing',
        `No hotkey file at ${path}: create one with \`btcli wallet new_hotkey --wallet.name ${location.wallet} --wallet.hotkey ${location.hotkey}\`, or set the wallet in Settings.`,
      );
    }
    throw new WalletError('unreadable', `The hotkey file ${path} cannot be read (${code ?? String(error)}).`);
  }
  const text = bytes.toString('utf8');
  if (text.startsWith('$NACL')) {
    throw new WalletError(
      'encrypted',
      `The hotkey file ${path} is encrypted. A miner signs every answer with its hotkey, so btcli keeps hotkeys unencrypted: regenerate it without encryption (\`btcli wallet regen_hotkey\` with --no-use-password).`,
    );
  }
  if (text.startsWith('$ANSIBLE_VAULT') || text.startsWith('gAAAAA')) {
    throw new WalletError(
      'legacy',
      `The hotkey file ${path} uses an old btcli encryption (Ansible vault or Fernet) that this console does not read: regenerate the hotkey with a current btcli.`,
    );
  }
  let json: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    json = parsed as Record<string, unknown>;
  } catch {
    throw new WalletError(
      'corrupt',
      `The hotkey file ${path} is not a btcli keyfile (expected JSON with secretPhrase or secretSeed).`,
    );
  }
  await signaturesReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const phrase =
    typeof json.secretPhrase === 'string' && json.secretPhrase.trim() !== '' ? json.secretPhrase.trim() : null;
  const seed = typeof json.secretSeed === 'string' && isHex(json.secretSeed, 256) ? json.secretSeed : null;
  let pair;
  try {
    if (phrase) pair = keyring.addFromUri(phrase);
    else if (seed) pair = keyring.addFromSeed(hexToU8a(seed));
    else throw new Error('no secret');
  } catch {
    throw new WalletError(
      'corrupt',
      `The hotkey file ${path} holds neither a valid secretPhrase nor a 32-byte secretSeed.`,
    );
  }
  const declared = typeof json.publicKey === 'string' ? json.publicKey.toLowerCase() : null;
  const derived = u8aToHex(pair.publicKey);
  if (declared && declared !== derived) {
    throw new WalletError(
      'inconsistent',
      `The hotkey file ${path} is inconsistent: its secret gives public key ${derived}, not the ${declared} it declares.`,
    );
  }
  return Object.freeze({
    ss58Address: pair.address,
    publicKey: derived,
    sign: (message: string) => u8aToHex(pair.sign(stringToU8a(message))),
    signBytes: (data: Uint8Array) => pair.sign(data),
  });
}

/** Whether the file is readable by others than its owner (btcli writes 0600). */
export async function isExposed(path: string): Promise<boolean> {
  if (process.platform === 'win32') return false;
  return ((await stat(path)).mode & 0o077) !== 0;
}
