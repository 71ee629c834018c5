import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The built renderer: beside the bundled back end (`build/main` → `build/renderer`), or under
 * `build/` when the back end runs from source.
 */
export function findRendererDir(): string {
  const candidates = [new URL('../renderer/', import.meta.url), new URL('../../build/renderer/', import.meta.url)];
  for (const candidate of candidates) {
    const path = fileURLToPath(candidate);
    if (existsSync(`${path}index.html`)) return path;
  }
  return fileURLToPath(candidates[candidates.length - 1]!);
}
