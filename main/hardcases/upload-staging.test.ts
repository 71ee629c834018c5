import { existsSync } from 'node:fs';
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HardCaseCounts } from '../../shared/domain/hard-case.js';
import { useTempDirs } from '../../tests/temp-dir.js';
import { useTestHosts } from '../../tests/test-host.js';
import type { Host } from '../host.js';
import { renderStreetImage } from '../scenes/generate.js';
import { openDatabase } from '../store/database.js';
import { MIGRATIONS } from '../store/migrations.js';
import { HardCaseStore } from './hard-case-store.js';
import { importImages, type ImportVerdict } from './import-images.js';
import { UploadStaging } from './upload-staging.js';

const testHost = useTestHosts();
const tempDir = useTempDirs();

async function call<T>(host: Host, command: string, payload: unknown): Promise<T> {
  const result = await host.endpoint.invoke(command, payload);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

/** Uploads a file as the renderer does, in base64 chunks of `chunk` bytes, each at the size so far. */
async function upload(host: Host, batch: string, name: string, bytes: Buffer, chunk = 4096): Promise<void> {
  for (let offset = 0; offset < bytes.length; offset += chunk)
    await call(host, 'hardcases.upload', {
      batch,
      name,
      offset,
      data: bytes.subarray(offset, offset + chunk).toString('base64'),
    });
}

describe('files dropped on the console', () => {
  it('are staged a chunk at a time, each where the file ends so far, and refused elsewhere', async () => {
    const host = await testHost();
    const image = (await renderStreetImage(51, 'roadwork', 0)).jpeg;
    const first = image.subarray(0, 1000).toString('base64');
    expect(await call(host, 'hardcases.upload', { batch: 'drop-0001', name: 'a.jpg', offset: 0, data: first })).toEqual(
      { size: 1000 },
    );
    // The same chunk again (a retry after a lost answer), and one that skips ahead: both refused.
    for (const offset of [0, 2000])
      await expect(
        call(host, 'hardcases.upload', { batch: 'drop-0001', name: 'a.jpg', offset, data: first }),
      ).rejects.toThrow(/failed: hardcases\.upload: a\.jpg: a chunk for byte \d+ arrived, but 1000 bytes are staged/);
    await call(host, 'hardcases.upload', {
      batch: 'drop-0001',
      name: 'a.jpg',
      offset: 1000,
      data: image.subarray(1000).toString('base64'),
    });
    const [verdict] = await call<ImportVerdict[]>(host, 'hardcases.importUploaded', {
      batch: 'drop-0001',
      files: [{ name: 'a.jpg', size: image.length }],
    });
    expect(verdict).toMatchObject({ path: 'a.jpg', status: 'added', hash: HardCaseStore.hashOf(image) });
  });

  it('never lets a name out of its batch folder', async () => {
    const host = await testHost();
    for (const name of ['../escape.jpg', 'a/../../escape.jpg', '/etc/escape.jpg', 'a\\..\\escape.jpg'])
      await expect(
        call(host, 'hardcases.upload', { batch: 'drop-0002', name, offset: 0, data: 'AAAA' }),
      ).rejects.toThrow(/^invalid_request: hardcases\.upload: name/);
    await expect(
      call(host, 'hardcases.upload', { batch: '../../etc', name: 'a.jpg', offset: 0, data: 'AAAA' }),
    ).rejects.toThrow(/^invalid_request: hardcases\.upload: batch/);

    // Past the contract, the staging checks again: by the name, and by where the disk resolves it.
    const root = join(await tempDir(), 'uploads');
    const outside = await tempDir();
    const staging = new UploadStaging(root);
    await expect(staging.append('drop-0002', '../escape.jpg', 0, 'AAAA')).rejects.toThrow(/not a name inside/);
    await mkdir(join(root, 'drop-0002'), { recursive: true });
    await symlink(outside, join(root, 'drop-0002', 'link'));
    await expect(staging.append('drop-0002', 'link/escape.jpg', 0, 'AAAA')).rejects.toThrow(/not a name inside/);
    expect(await readdir(outside)).toEqual([]);
  });

  it('refuses a chunk that would take a file over the limit, and an oversize file at import as importing does', async () => {
    const dir = await tempDir();
    const store = new HardCaseStore(openDatabase(join(dir, 'console.db'), MIGRATIONS), join(dir, 'full'));
    const staging = new UploadStaging(join(dir, 'uploads'), 1500);
    const bytes = Buffer.alloc(2000, 7);
    await staging.append('drop-0003', 'big.jpg', 0, bytes.subarray(0, 1000).toString('base64'));
    await expect(staging.append('drop-0003', 'big.jpg', 1000, bytes.subarray(1000).toString('base64'))).rejects.toThrow(
      /big\.jpg is 0\.0 MB, over the 0 MB limit/,
    );
    // At import, a file declared over the limit is refused by its size, in importImages' words.
    const file = join(dir, 'big.jpg');
    await writeFile(file, bytes);
    const [direct] = await importImages(store, [file], { maxBytes: 1500 });
    const [staged] = await staging.importBatch(store, 'drop-0003', [{ name: 'big.jpg', size: 2000 }], 'op');
    expect(staged).toEqual({ ...direct, path: 'big.jpg' });
    expect(staged!.status).toBe('refused');
  });

  it('bring an ImageFolder’s labels; a corrupt or incomplete file is refused with its reason, the rest added', async () => {
    const host = await testHost();
    const counts = () => call<HardCaseCounts>(host, 'hardcases.counts', {});
    const roadwork = [
      (await renderStreetImage(61, 'roadwork', 0)).jpeg,
      (await renderStreetImage(62, 'roadwork', 0)).jpeg,
    ];
    const none = (await renderStreetImage(63, 'none', 0)).jpeg;
    const files = [
      { name: 'drop/roadwork/a.jpg', bytes: roadwork[0]! },
      { name: 'drop/roadwork/b.jpg', bytes: roadwork[1]! },
      { name: 'drop/none/c.jpg', bytes: none },
      { name: 'drop/none/broken.jpg', bytes: none.subarray(0, 60) },
      { name: 'drop/none/partial.jpg', bytes: none.subarray(0, 2000), size: none.length },
    ];
    for (const { name, bytes } of files) await upload(host, 'drop-0004', name, bytes);
    const verdicts = await call<ImportVerdict[]>(host, 'hardcases.importUploaded', {
      batch: 'drop-0004',
      files: files.map(({ name, bytes, size }) => ({ name, size: size ?? bytes.length })),
    });
    expect(verdicts).toMatchObject([
      { path: 'drop/roadwork/a.jpg', status: 'added', label: 'roadwork' },
      { path: 'drop/roadwork/b.jpg', status: 'added', label: 'roadwork' },
      { path: 'drop/none/c.jpg', status: 'added', label: 'none' },
      {
        path: 'drop/none/broken.jpg',
        status: 'refused',
        reason: expect.stringMatching(/not an image that can be decoded/) as unknown,
      },
      {
        path: 'drop/none/partial.jpg',
        status: 'refused',
        reason: `is an incomplete upload (2000 of ${none.length} bytes arrived)`,
      },
    ]);
    expect(await counts()).toMatchObject({ total: 3, roadwork: 2, none: 1 });
    // Each label came as one step: undo takes back the last (none), then the roadwork ones.
    await call(host, 'hardcases.undo', {});
    expect(await counts()).toMatchObject({ roadwork: 2, none: 0 });
    await call(host, 'hardcases.undo', {});
    expect(await counts()).toMatchObject({ roadwork: 0, none: 0, unlabelled: 3 });
    // The staging folder is gone; nothing of the batch is left to import.
    const { dataDir } = await call<{ dataDir: string }>(host, 'app.info', {});
    expect(existsSync(join(dataDir, 'uploads', 'drop-0004'))).toBe(false);
  });

  it('left staged by an earlier run are removed when the console starts', async () => {
    const dataDir = await tempDir();
    await mkdir(join(dataDir, 'uploads', 'drop-0005', 'roadwork'), { recursive: true });
    await writeFile(join(dataDir, 'uploads', 'drop-0005', 'roadwork', 'half.jpg'), Buffer.alloc(100));
    await testHost({ dataDir });
    expect(existsSync(join(dataDir, 'uploads', 'drop-0005'))).toBe(false);
  });
});
