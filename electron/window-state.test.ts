import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../tests/temp-dir.js';
import { DEFAULT_WINDOW_SIZE, loadWindowState, placeWindow, saveWindowState } from './window-state.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const tempDir = useTempDirs();
const laptop = { x: 0, y: 0, width: 1920, height: 1080 };
const monitor = { x: 1920, y: 0, width: 2560, height: 1440 };

describe('window placement', () => {
  it('reopens where the operator left it', () => {
    const saved = { x: 2100, y: 80, width: 1600, height: 1000 };
    expect(placeWindow(saved, [laptop, monitor])).toEqual(saved);
  });

  it('moves the window home when its monitor is gone', () => {
    const placed = placeWindow({ x: 2100, y: 80, width: 1600, height: 1000 }, [laptop]);
    expect(placed).toEqual({
      x: (1920 - DEFAULT_WINDOW_SIZE.width) / 2,
      y: (1080 - DEFAULT_WINDOW_SIZE.height) / 2,
      ...DEFAULT_WINDOW_SIZE,
    });
  });

  it('pulls a window hanging off the edge back on screen, shrunk to fit', () => {
    const placed = placeWindow({ x: 1500, y: -50, width: 3000, height: 900 }, [laptop]);
    expect(placed).toEqual({ x: 0, y: 0, width: 1920, height: 900 });
  });

  it('remembers the state across runs and ignores a damaged file', async () => {
    const dir = await tempDir();
    expect(await loadWindowState(dir)).toBeNull();
    saveWindowState(dir, { bounds: { x: 10, y: 20, width: 1200, height: 800 }, maximized: true });
    expect(await loadWindowState(dir)).toEqual({ bounds: { x: 10, y: 20, width: 1200, height: 800 }, maximized: true });
    await writeFile(join(dir, 'window-state.json'), '{"bounds":');
    expect(await loadWindowState(dir)).toBeNull();
  });
});
