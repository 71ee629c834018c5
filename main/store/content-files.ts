import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where an image with this sha256 lives under `root`: fanned out by its first two hex digits. */
export function contentPath(root: string, hash: string, extension = 'jpg'): string {
  return join(root, hash.slice(0, 2), `${hash}.${extension}`);
}

/** Content-addressed: a file that exists already holds these bytes, so it is never rewritten. */
export async function writeOnce(path: string, bytes: Buffer): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, bytes, { flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
