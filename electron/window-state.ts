import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

const WindowStateSchema = z.object({
  bounds: z.object({ x: z.number(), y: z.number(), width: z.number().min(1), height: z.number().min(1) }),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

export const DEFAULT_WINDOW_SIZE = { width: 1360, height: 860 };
const MIN_VISIBLE = 100;
const FILE = 'window-state.json';

export async function loadWindowState(dataDir: string): Promise<WindowState | null> {
  try {
    const parsed = WindowStateSchema.safeParse(JSON.parse(await readFile(join(dataDir, FILE), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Synchronous because it runs as the window closes, when the process may exit next. A torn write
 * costs nothing worse than the default placement next time (`loadWindowState` ignores it).
 */
export function saveWindowState(dataDir: string, state: WindowState): void {
  try {
    writeFileSync(join(dataDir, FILE), JSON.stringify(state), { mode: 0o600 });
  } catch {
    // Remembering the window is a courtesy: never let it block quitting.
  }
}

/**
 * Where to open the window: the remembered bounds if enough of them is still on a display (a
 * monitor may have been unplugged since), shrunk to fit; otherwise centred on the primary display.
 */
export function placeWindow(saved: Rectangle | null, workAreas: Rectangle[]): Rectangle {
  const primary = workAreas[0] ?? { x: 0, y: 0, ...DEFAULT_WINDOW_SIZE };
  if (saved) {
    const host = workAreas.find((area) => overlap(saved, area) >= MIN_VISIBLE * MIN_VISIBLE);
    if (host) {
      const width = Math.min(saved.width, host.width);
      const height = Math.min(saved.height, host.height);
      return {
        x: clamp(saved.x, host.x, host.x + host.width - width),
        y: clamp(saved.y, host.y, host.y + host.height - height),
        width,
        height,
      };
    }
  }
  const width = Math.min(DEFAULT_WINDOW_SIZE.width, primary.width);
  const height = Math.min(DEFAULT_WINDOW_SIZE.height, primary.height);
  return {
    x: primary.x + Math.round((primary.width - width) / 2),
    y: primary.y + Math.round((primary.height - height) / 2),
    width,
    height,
  };
}

function overlap(a: Rectangle, b: Rectangle): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}
