import { describe, expect, it } from 'vitest';
import { connectToServe } from '../../e2e/harness.js';
import type { OperatorClient } from '../../shared/client.js';
import { freePort } from '../../tests/free-port.js';
import { useServeProcesses, type ServeProcess } from '../../tests/serve-process.js';
import { useTempDirs } from '../../tests/temp-dir.js';

const serve = useServeProcesses();
const tempDir = useTempDirs();

/** A served console and a client on its WebSocket, as a remote console would talk to it. */
async function openConsole(dataDir: string): Promise<{ host: ServeProcess; client: OperatorClient; close(): void }> {
  const host = await serve.start(dataDir);
  const connection = connectToServe(host);
  return { host, client: connection.client, close: () => connection.close() };
}

async function kill(host: ServeProcess, signal: NodeJS.Signals): Promise<void> {
  host.child.kill(signal);
  await host.exit;
}

/** A data folder whose console was mining on the local subnet (axon on a free port). */
async function mining(): Promise<{ dataDir: string; first: Awaited<ReturnType<typeof openConsole>> }> {
  const dataDir = await tempDir();
  const first = await openConsole(dataDir);
  await first.client.call('settings.update', { axon: { port: await freePort() } });
  const started = await first.client.call('miner.start', {});
  expect(started.state, started.message).toBe('serving');
  return { dataDir, first };
}

describe('resume mining on start', { timeout: 90_000 }, () => {
  it('a console killed while mining serves again when it is started again, with no Start pressed, and says it was down', async () => {
    const { dataDir, first } = await mining();
    first.close();
    await kill(first.host, 'SIGKILL');

    const second = await openConsole(dataDir);
    try {
      await expect
        .poll(async () => (await second.client.call('miner.status', {})).state, { timeout: 30_000 })
        .toBe('serving');
      const active = (await second.client.call('alerts.list', { limit: 10 })).filter(
        (alert) => alert.state === 'active',
      );
      expect(active.map((alert) => alert.kind)).toEqual(['miner-downtime']);
      expect(active[0]!.message).toMatch(/^The miner was down for .+ and resumed by itself/);
    } finally {
      second.close();
    }
  });

  it('a console shut down cleanly while mining serves again too; one the operator stopped does not', async () => {
    const { dataDir, first } = await mining();
    first.close();
    await kill(first.host, 'SIGTERM');

    const second = await openConsole(dataDir);
    await expect
      .poll(async () => (await second.client.call('miner.status', {})).state, { timeout: 30_000 })
      .toBe('serving');
    // A clean shutdown is no surprise: no downtime alert.
    expect((await second.client.call('alerts.list', { limit: 10 })).map((alert) => alert.kind)).toEqual([]);
    await second.client.call('miner.stop', {});
    second.close();
    await kill(second.host, 'SIGKILL');

    const third = await openConsole(dataDir);
    try {
      // The host starts a resumed miner before it prints its URL: stopped now is stopped for good.
      expect((await third.client.call('miner.status', {})).state).toBe('stopped');
    } finally {
      third.close();
    }
  });
});
