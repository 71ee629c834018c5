import { describe, expect, it } from 'vitest';
import { writeRendererFixture } from '../../tests/renderer-fixture.js';
import { useTempDirs } from '../../tests/temp-dir.js';
import { readStaticFile } from './static-files.js';

const tempDir = useTempDirs();

describe('readStaticFile', () => {
  it('serves the app for the root and for extensionless paths, assets as immutable', async () => {
    const root = await writeRendererFixture(await tempDir());
    expect((await readStaticFile(root, '/'))?.contentType).toMatch(/text\/html/);
    expect((await readStaticFile(root, '/settings'))?.contentType).toMatch(/text\/html/);
    expect(await readStaticFile(root, '/assets/app-1234.js')).toMatchObject({ immutable: true });
  });

  it('never resolves outside the root, however the path is spelt', async () => {
    const root = await writeRendererFixture(await tempDir());
    for (const path of [
      '/../secret.txt',
      '../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/%00.js',
      '/%E0%A4%A',
    ]) {
      expect(await readStaticFile(root, path), path).toBeNull();
    }
  });

  it('serves no hidden files and no unknown types', async () => {
    const root = await writeRendererFixture(await tempDir());
    expect(await readStaticFile(root, '/.env')).toBeNull();
    expect(await readStaticFile(root, '/assets/app.exe')).toBeNull();
  });
});
