import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('npm start without the Electron binary', () => {
  it('says so in one sentence, points to npm run serve, and shows no stack trace', () => {
    const result = spawnSync(process.execPath, [join(import.meta.dirname, 'start-electron.mjs')], {
      env: {
        ...process.env,
        ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
        ELECTRON_OVERRIDE_DIST_PATH: join(import.meta.dirname, 'no-such-dir'),
      },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Electron binary is not installed.*npm run serve/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
