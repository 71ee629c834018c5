import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { OperatorClient } from '../../shared/client.js';
import type { ConnectionState } from '../../shared/transport/transport.js';
import { createWsTransport, type WsTransportOptions } from '../../shared/transport/ws-client-transport.js';
import { useTestServers } from '../../tests/test-server.js';

const testServer = useTestServers();
const transports: { close(): void }[] = [];
afterEach(() => {
  for (const transport of transports.splice(0)) transport.close();
});

function connect(port: number, token: string, options: Partial<WsTransportOptions> = {}) {
  const transport = createWsTransport({
    url: `ws://127.0.0.1:${port}/api`,
    createSocket: (url) => new WebSocket(url, { headers: { authorization: `Bearer ${token}` } }),
    ...options,
  });
  transports.push(transport);
  const states: ConnectionState[] = [];
  transport.onConnectionChange((state) => states.push(state));
  return { transport, states, client: new OperatorClient(transport) };
}

describe('WebSocket transport', () => {
  it('survives the back end restarting on the same port: reconnects and resumes its streams', async () => {
    const { host, server, restart } = await testServer({ token: 'fixed-token' });
    const { client, states } = connect(server.port, 'fixed-token', { minBackoffMs: 20, maxBackoffMs: 100 });
    const ports: number[] = [];
    client.subscribe('settings.changed', {}, (events) => ports.push(...events.map((s) => s.axon.port)));
    await expect.poll(() => ports).toEqual([8091]);

    await server.close();
    await expect.poll(() => states.at(-1)).toBe('reconnecting');
    await host.endpoint.invoke('settings.update', { axon: { port: 9200 } });
    await restart();

    await expect.poll(() => states.at(-1)).toBe('open');
    // The resumed stream replays the current value: the change made while away is not missed.
    await expect.poll(() => ports.at(-1)).toBe(9200);
    expect((await client.call('miner.status', {})).axonPort).toBe(9200);
  });

  it('fails a call in flight when the link drops, rather than leaving it hanging', async () => {
    const { server } = await testServer();
    const { client } = connect(server.port, server.token, { minBackoffMs: 5_000 });
    await client.call('app.info', {});
    const inFlight = client.call('settings.update', { ui: { theme: 'dark' } });
    await server.close();
    await expect(inFlight).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('stops retrying and says so when the back end no longer accepts the token', async () => {
    const { server } = await testServer();
    let probes = 0;
    const { client, states } = connect(server.port, 'stale-token', {
      isAuthorized: () => {
        probes += 1;
        return Promise.resolve(false);
      },
      minBackoffMs: 5,
    });
    await expect.poll(() => states.at(-1)).toBe('unauthorized');
    // Ten backoffs' time: the sleep is what is tested (no probe after "unauthorized"), not a wait.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(probes).toBe(1);
    await expect(client.call('app.info', {})).rejects.toMatchObject({ code: 'unauthorized' });
  });
});
