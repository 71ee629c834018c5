import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A tiny stand-in for `build/renderer`, so server tests do not depend on a build. */
export async function writeRendererFixture(dir: string): Promise<string> {
  const root = join(dir, 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><title>StreetVision Console</title><div id="root"></div>');
  await writeFile(join(root, 'assets', 'app-1234.js'), 'console.log("console")');
  await writeFile(join(dir, 'secret.txt'), 'outside the renderer');
  return root;
}
