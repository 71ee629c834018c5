import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../tests/temp-dir.js';
import { contentPath, writeOnce } from './content-files.js';

const tempDir = useTempDirs();
const HASH = 'ab'.repeat(32);
const IMAGE = Buffer.from('the whole image');

describe('writeOnce', () => {
  it('stores the image when a crashed write left a half-written temporary beside it', async () => {
    const path = contentPath(await tempDir(), HASH);
    await mkdir(dirname(path), { recursive: true });
    // What the earlier writer of this very process id left behind when it died mid-write.
    await writeFile(`${path}.${process.pid}.tmp`, 'half');

    await writeOnce(path, IMAGE);

    expect(await readFile(path)).toEqual(IMAGE);
  });

  it('leaves an image already stored as it is, and no temporary behind', async () => {
    const path = contentPath(await tempDir(), HASH);
    await writeOnce(path, IMAGE);
    await writeOnce(path, Buffer.from('other bytes under the same name'));

    expect(await readFile(path)).toEqual(IMAGE);
    expect(await readdir(dirname(path))).toEqual([`${HASH}.jpg`]);
  });

  it('stores the same image sent twice at once', async () => {
    const path = contentPath(await tempDir(), HASH);
    await Promise.all([writeOnce(path, IMAGE), writeOnce(path, IMAGE)]);

    expect(await readFile(path)).toEqual(IMAGE);
    expect(await readdir(dirname(path))).toEqual([`${HASH}.jpg`]);
  });
});
