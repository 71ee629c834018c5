import { createServer } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { MinerStatus } from '../../shared/domain/miner.js';
import { freePort } from '../../tests/free-port.js';
import { useTestHosts } from '../../tests/test-host.js';
import type { Host } from '../host.js';

const testHost = useTestHosts();

async function call<T>(host: Host, command: string, payload: unknown = {}): Promise<T> {
  const result = await host.endpoint.invoke(command, payload);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as T;
}

/** Whether this process can listen on `port` right now (what the next Start needs). */
function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

describe('a start that fails after the axon opened', { timeout: 60_000 }, () => {
  it('closes the axon again: its port is free, and a later start serves on it', async () => {
    const host = await testHost();
    const port = await freePort();
    await call(host, 'settings.update', { axon: { port } });
    // The local subnet is fitted to the live subnet's incentives, read after the axon opened:
    // a row that cannot be read (a disk that failed mid-write) makes the start fail there.
    const dataDir = (await call<{ dataDir: string }>(host, 'app.info')).dataDir;
    const db = new Database(join(dataDir, 'console.db'));
    db.prepare('INSERT INTO live_incentives (netuid, time, incentives) VALUES (72, ?, ?)').run(
      new Date().toISOString(),
      '[0.5, 0.',
    );
    const failed = await call<MinerStatus>(host, 'miner.start');
    expect(failed.state).toBe('error');
    expect(await canBind(port)).toBe(true);

    db.prepare('DELETE FROM live_incentives').run();
    db.close();
    const serving = await call<MinerStatus>(host, 'miner.start');
    expect(serving.state, serving.message).toBe('serving');
    expect(serving.axonPort).toBe(port);
    await call(host, 'miner.stop');
  });
});
