import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { OperatorClient } from '../../shared/client.js';
import type { ConnectionState } from '../../shared/transport/transport.js';
import { createWsTransport } from '../../shared/transport/ws-client-transport.js';
import { startHeadlessServer, type HeadlessServer } from './headless-server.js';
import { writeRendererFixture } from '../../tests/renderer-fixture.js';
import { useTempDirs } from '../../tests/temp-dir.js';
import { useTestHosts } from '../../tests/test-host.js';

const tempDir = useTempDirs();
const testHost = useTestHosts();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('WebSocket transport', () => {
  it('survives the back end restarting on the same port: reconnects and resumes its streams', async () => {
    const host = await testHost();
    const rendererDir = await writeRendererFixture(await tempDir());
    const options = {
      endpoint: host.endpoint,
      log: host.log.forSource('serve'),
      rendererDir,
      host: '127.0.0.1',
      token: 'fixed-token',
    };
    let server: HeadlessServer = await startHeadlessServer({ ...options, port: 0 });
    const port = server.port;
    cleanups.push(() => server.close());

    const states: ConnectionState[] = [];
    const transport = createWsTransport({
      url: `ws://127.0.0.1:${port}/api`,
      createSocket: (url) => new WebSocket(url, { headers: { authorization: 'Bearer fixed-token' } }),
      minBackoffMs: 20,
      maxBackoffMs: 100,
    });
    cleanups.push(() => transport.close());
    transport.onConnectionChange((state) => states.push(state));
    const client = new OperatorClient(transport);
    const ports: number[] = [];
    client.subscribe('settings.changed', {}, (events) => ports.push(...events.map((s) => s.axon.port)));
    await expect.poll(() => ports).toEqual([8091]);

    await server.close();
    await expect.poll(() => states.at(-1)).toBe('reconnecting');
    await host.endpoint.invoke('settings.update', { axon: { port: 9200 } });
    server = await startHeadlessServer({ ...options, port });

    await expect.poll(() => states.at(-1)).toBe('open');
    // The resumed stream replays the current value: the change made while away is not missed.
    await expect.poll(() => ports.at(-1)).toBe(9200);
    expect((await client.call('miner.status', {})).axonPort).toBe(9200);
  });

  it('fails a call in flight when the link drops, rather than leaving it hanging', async () => {
    const host = await testHost();
    const server = await startHeadlessServer({
      endpoint: host.endpoint,
      log: host.log.forSource('serve'),
      rendererDir: await writeRendererFixture(await tempDir()),
      host: '127.0.0.1',
      port: 0,
    });
    const transport = createWsTransport({
      url: `ws://127.0.0.1:${server.port}/api`,
      createSocket: (url) => new WebSocket(url, { headers: { authorization: `Bearer ${server.token}` } }),
      minBackoffMs: 5_000,
    });
    cleanups.push(() => transport.close());
    const client = new OperatorClient(transport);
    await client.call('app.info', {});
    const inFlight = client.call('settings.update', { ui: { theme: 'dark' } });
    await server.close();
    await expect(inFlight).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('stops retrying and says so when the back end no longer accepts the token', async () => {
    const host = await testHost();
    const server = await startHeadlessServer({
      endpoint: host.endpoint,
      log: host.log.forSource('serve'),
      rendererDir: await writeRendererFixture(await tempDir()),
      host: '127.0.0.1',
      port: 0,
    });
    cleanups.push(() => server.close());
    let attempts = 0;
    const transport = createWsTransport({
      url: `ws://127.0.0.1:${server.port}/api`,
      createSocket: (url) => {
        attempts += 1;
        return new WebSocket(url, { headers: { authorization: 'Bearer stale-token' } });
      },
      isAuthorized: () => Promise.resolve(false),
      minBackoffMs: 5,
    });
    cleanups.push(() => transport.close());
    const states: ConnectionState[] = [];
    transport.onConnectionChange((state) => states.push(state));
    await expect.poll(() => states.at(-1)).toBe('unauthorized');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(attempts).toBe(1);
    await expect(new OperatorClient(transport).call('app.info', {})).rejects.toMatchObject({ code: 'unauthorized' });
  });
});
