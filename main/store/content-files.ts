import { mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileDurably } from '../base/durable-file.js';

/** Where an image with this sha256 lives under `root`: fanned out by its first two hex digits. */
export function contentPath(root: string, hash: string, extension = 'jpg'): string {
  return join(root, hash.slice(0, 2), `${hash}.${extension}`);
}

/**
 * Content-addressed: a file that exists already holds these bytes, so it is never rewritten.
 * Only the finished file counts: a write a crash cut short left its temporary name, not this one.
 */
export async function writeOnce(path: string, bytes: Buffer): Promise<void> {
  if (await exists(path)) return;
  await mkdir(dirname(path), { recursive: true });
  // Readable as any file written before (0666 less the umask): these are images, not secrets.
  await writeFileDurably(path, bytes, { mode: 0o666 });
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
