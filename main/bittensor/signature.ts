import { hexToU8a, isHex, stringToU8a } from '@polkadot/util';
import { cryptoWaitReady, decodeAddress, sr25519Verify } from '@polkadot/util-crypto';

let ready: Promise<boolean> | null = null;

/** sr25519's WebAssembly must load once before any verification. */
export function signaturesReady(): Promise<boolean> {
  ready ??= cryptoWaitReady();
  return ready;
}

/**
 * Whether `signature` (0x + 128 hex) is `hotkey`'s sr25519 signature of the raw UTF-8 `message`.
 * Strict: no `<Bytes>` wrapping, no other key types, and an empty signature never passes.
 */
export function verifyHotkeySignature(message: string, signature: string, hotkey: string): boolean {
  if (!isHex(signature, 512)) return false;
  let publicKey: Uint8Array;
  try {
    publicKey = decodeAddress(hotkey);
  } catch {
    return false;
  }
  try {
    return sr25519Verify(stringToU8a(message), hexToU8a(signature), publicKey);
  } catch {
    return false;
  }
}
