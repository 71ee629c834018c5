/**
 * The shell's SecretStore: a secret encrypted with Electron's safeStorage (the OS keychain's key:
 * Keychain on macOS, DPAPI on Windows, libsecret/kwallet on Linux) and kept as bytes in the
 * app's data folder (0600). Where no keychain is available, the back end's 0600 file store is
 * used instead, and the console says so ("file").
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { safeStorage } from 'electron';
import { fileSecretStore, type SecretStore } from '../main/publish/secret-store.js';

const NAME = /^[a-z0-9-]+$/;

export function keychainSecretStore(dataDir: string): SecretStore {
  const dir = join(dataDir, 'secrets');
  if (!safeStorage.isEncryptionAvailable()) return fileSecretStore(dir);
  const pathOf = (name: string): string => {
    if (!NAME.test(name)) throw new Error(`not a secret name: ${name}`);
    return join(dir, `${name}.safe`);
  };
  return {
    kind: 'keychain',
    async get(name) {
      try {
        return safeStorage.decryptString(await readFile(pathOf(name)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async set(name, value) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeFile(pathOf(name), safeStorage.encryptString(value), { mode: 0o600 });
    },
    async delete(name) {
      await rm(pathOf(name), { force: true });
    },
  };
}
