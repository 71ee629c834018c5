import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOMS } from '../scripts/rooms.mjs';

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

/** Every import from one room of main/ into another, as `from -> to` with the file that makes it. */
async function roomImports(): Promise<{ from: string; to: string; file: string }[]> {
  const edges: { from: string; to: string; file: string }[] = [];
  for (const file of await sourceFiles('main')) {
    if (file.endsWith('.test.ts')) continue;
    const parts = relative('main', file).split(sep);
    if (parts.length < 2) continue;
    const from = parts[0]!;
    const source = await readFile(join(root, file), 'utf8');
    for (const [, specifier] of source.matchAll(/(?:from\s+|import\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = relative(join(root, 'main'), resolve(dirname(join(root, file)), specifier!)).split(sep);
      const to = target[0]!;
      if (target.length > 1 && to !== '..' && to !== from) edges.push({ from, to, file });
    }
  }
  return edges;
}

/** Rooms on a cycle, found by walking the import graph depth first. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (room: string): void => {
    state.set(room, 'open');
    path.push(room);
    for (const next of graph.get(room) ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(room, 'done');
  };
  for (const room of graph.keys()) if (!state.has(room)) visit(room);
  return found;
}

describe('the rooms of main/', () => {
  it('every folder of main/ is a declared room with a README saying what it owns and may import', async () => {
    const folders = (await readdir(join(root, 'main'), { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(folders).toEqual(Object.keys(ROOMS).sort());
    for (const room of folders) {
      const readme = await readFile(join(root, 'main', room, 'README.md'), 'utf8');
      expect(readme, room).toMatch(/may import/i);
    }
  });

  it('a room imports only the rooms it declares, and the declared graph has no cycle', async () => {
    const undeclared = (await roomImports())
      .filter(({ from, to }) => !ROOMS[from]?.includes(to))
      .map(({ from, to, file }) => `${file}: ${from} -> ${to}`);
    expect(undeclared).toEqual([]);
    const declared = new Map(Object.entries(ROOMS).map(([room, deps]) => [room, new Set(deps)]));
    expect(cycles(declared)).toEqual([]);
  });

  it('the cycle check itself finds a cycle', () => {
    const graph = new Map([
      ['miner', new Set(['subnet'])],
      ['subnet', new Set(['miner'])],
      ['base', new Set<string>()],
    ]);
    expect(cycles(graph)).toEqual([['miner', 'subnet', 'miner']]);
  });
});
