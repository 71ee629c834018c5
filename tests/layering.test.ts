import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const importsElectron = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]electron(?:\/[^'"]*)?['"]/;

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(join(root, dir), { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && /\.(ts|tsx|js|mjs|cjs)$/.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

describe('layering', () => {
  it('keeps electron out of main/, shared/ and renderer/, so the back end runs headless', async () => {
    const offenders: string[] = [];
    for (const dir of ['main', 'shared', 'renderer']) {
      for (const file of await sourceFiles(dir)) {
        if (importsElectron.test(await readFile(join(root, file), 'utf8'))) offenders.push(file);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the check itself recognises an electron import', () => {
    expect(importsElectron.test("import { app } from 'electron';")).toBe(true);
    expect(importsElectron.test('const { ipcRenderer } = require("electron")')).toBe(true);
    expect(importsElectron.test("await import('electron/main')")).toBe(true);
    expect(importsElectron.test("import { x } from './electron-like.js';")).toBe(false);
  });
});
