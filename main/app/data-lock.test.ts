import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { uptime } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useServeProcesses } from '../../tests/serve-process.js';
import { useTempDirs } from '../../tests/temp-dir.js';
import { createHost, type HostOptions } from '../host.js';
import { DataFolderInUse, LOCK_FILE, type LockHolder } from './data-lock.js';

const tempDir = useTempDirs();
/** A real host on `dataDir`; each test closes its own, since closing is what frees the folder. */
const testHost = (options: Partial<HostOptions> & { dataDir: string }) =>
  createHost({ kind: 'headless', axonHost: '127.0.0.1', ...options });
const serve = useServeProcesses();

/** The pid of a process that has exited: what a lock left by a SIGKILLed console holds. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

async function plantLock(dataDir: string, holder: Partial<LockHolder>): Promise<void> {
  const booted = Date.now() - uptime() * 1000;
  await writeFile(
    join(dataDir, LOCK_FILE),
    JSON.stringify({ pid: 1, program: 'npm run serve', since: new Date().toISOString(), bootedAt: booted, ...holder }),
  );
}

describe('one console per data folder', () => {
  it('a second host on the folder is refused, saying which process holds it; the folder is free once the first closes', async () => {
    const dataDir = await tempDir();
    const first = await testHost({ dataDir, program: 'npm run serve' });
    const refused = testHost({ dataDir });
    await expect(refused).rejects.toBeInstanceOf(DataFolderInUse);
    await expect(refused).rejects.toThrow(`in use by npm run serve (pid ${process.pid}, since `);
    await first.close();
    const second = await testHost({ dataDir });
    expect(JSON.parse(await readFile(join(dataDir, LOCK_FILE), 'utf8'))).toMatchObject({
      pid: process.pid,
      program: 'a headless console',
    });
    await second.close();
    await expect(readFile(join(dataDir, LOCK_FILE))).rejects.toThrow(/ENOENT/);
  });

  it('takes over a lock whose process is gone, or that is from before the machine last booted', async () => {
    const dataDir = await tempDir();
    await plantLock(dataDir, { pid: await deadPid() });
    await (await testHost({ dataDir })).close();
    // A live pid in a lock from an earlier boot is some other program now.
    await plantLock(dataDir, { pid: process.pid, bootedAt: 0 });
    await (await testHost({ dataDir })).close();
    // An unreadable lock (a disk that filled up mid-write) is no holder either.
    await writeFile(join(dataDir, LOCK_FILE), '{"pid":');
    await (await testHost({ dataDir })).close();
  });

  it('a second served console on the folder exits with the holder named; after the first is killed, one starts', async () => {
    const dataDir = await tempDir();
    const first = await serve.start(dataDir);
    const second = serve.run(['--port', '0', '--data-dir', dataDir]);
    expect(await second.exit).toBe(1);
    expect(second.stderr()).toContain(`in use by npm run serve (pid ${first.child.pid}, since `);
    expect(first.alive()).toBe(true);

    first.child.kill('SIGKILL');
    await first.exit;
    const third = await serve.start(dataDir);
    expect(third.alive()).toBe(true);
  });
});
