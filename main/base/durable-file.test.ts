import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../tests/temp-dir.js';
import { moveIntoPlaceDurably, writeFileDurably, writeFileDurablySync } from './durable-file.js';

const tempDir = useTempDirs();

describe('writeFileDurably', () => {
  it('replaces a file with text or bytes and leaves nothing else in the folder', async () => {
    const dir = await tempDir();
    const path = join(dir, 'settings.json');
    await writeFile(path, 'old');

    await writeFileDurably(path, 'new text');
    expect(await readFile(path, 'utf8')).toBe('new text');
    await writeFileDurably(path, Buffer.from([1, 2, 3]));
    expect(await readFile(path)).toEqual(Buffer.from([1, 2, 3]));
    writeFileDurablySync(path, 'written while shutting down');
    expect(await readFile(path, 'utf8')).toBe('written while shutting down');

    expect(await readdir(dir)).toEqual(['settings.json']);
  });

  it('creates the file private to this user unless told otherwise', async () => {
    if (process.platform === 'win32') return;
    const dir = await tempDir();
    await writeFileDurably(join(dir, 'secret'), 'token');
    await writeFileDurably(join(dir, 'shared'), 'manifest', { mode: 0o644 });
    writeFileDurablySync(join(dir, 'snapshot'), 'bytes');

    expect((await stat(join(dir, 'secret'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'shared'))).mode & 0o777).toBe(0o644 & ~process.umask());
    expect((await stat(join(dir, 'snapshot'))).mode & 0o777).toBe(0o600);
  });

  it('leaves the old file whole and removes its temporary when the write cannot finish', async () => {
    const dir = await tempDir();
    const path = join(dir, 'state.json');
    await writeFile(path, 'old');

    // A folder where the file should go: the rename over it fails.
    const blocked = join(dir, 'blocked');
    await mkdir(join(blocked, 'inside'), { recursive: true });
    await expect(writeFileDurably(blocked, 'new')).rejects.toThrow();

    expect(await readFile(path, 'utf8')).toBe('old');
    expect((await readdir(dir)).sort()).toEqual(['blocked', 'state.json']);
  });
});

describe('moveIntoPlaceDurably', () => {
  it('makes a finished temporary the file', async () => {
    const dir = await tempDir();
    const partial = join(dir, '.weights.bin.partial');
    await writeFile(partial, 'streamed bytes');

    await moveIntoPlaceDurably(partial, join(dir, 'weights.bin'));

    expect(await readdir(dir)).toEqual(['weights.bin']);
    expect(await readFile(join(dir, 'weights.bin'), 'utf8')).toBe('streamed bytes');
  });
});
