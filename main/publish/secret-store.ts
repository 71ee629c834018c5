/**
 * Where the console keeps a secret the operator gave it (the Hugging Face token). The Electron
 * shell injects one backed by the OS keychain (safeStorage); headless, a file readable only by
 * its owner in the data folder. main/ never imports electron, so the shell provides its own.
 */
import { chmod, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileDurably } from '../base/durable-file.js';

export interface SecretStore {
  /** `keychain` when the OS protects it, `file` for a 0600 file. */
  readonly kind: 'keychain' | 'file';
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
}

const NAME = /^[a-z0-9-]+$/;

/** One 0600 file per secret in `<dir>` (0700). */
export function fileSecretStore(dir: string): SecretStore {
  const pathOf = (name: string): string => {
    if (!NAME.test(name)) throw new Error(`not a secret name: ${name}`);
    return join(dir, name);
  };
  return {
    kind: 'file',
    async get(name) {
      try {
        const text = (await readFile(pathOf(name), 'utf8')).trim();
        return text === '' ? null : text;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async set(name, value) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      // writeFileDurably creates the file 0600; chmod in case an older one was looser.
      await writeFileDurably(pathOf(name), value);
      await chmod(pathOf(name), 0o600);
    },
    async delete(name) {
      await rm(pathOf(name), { force: true });
    },
  };
}
