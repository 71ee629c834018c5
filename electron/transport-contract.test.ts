import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { OperatorClient } from '../shared/client.js';
import {
  commandNames,
  streamNames,
  streams,
  type CommandName,
  type CommandRequest,
  type StreamName,
  type StreamParams,
} from '../shared/contract.js';
import { ApiError } from '../shared/errors.js';
import type { Transport } from '../shared/transport/transport.js';
import { createWsTransport } from '../shared/transport/ws-client-transport.js';
import type { Host } from '../main/host.js';
import { FakeIpc } from '../tests/fake-ipc.js';
import { freePort } from '../tests/free-port.js';
import { afterLifetime, type Lifetime } from '../tests/temp-dir.js';
import { useTestServers } from '../tests/test-server.js';
import { renderStreetImage } from '../main/scenes/generate.js';
import { importedSighting } from '../main/hardcases/hard-case-store.js';
import { bindIpc } from './ipc-binding.js';
import { isAppUrl } from './app-url.js';
import { createPreloadBridge } from './preload-bridge.js';

/** A valid request per command: a command added to the contract without one fails to compile. */
const SAMPLE_REQUESTS: { [K in CommandName]: CommandRequest<K> } = {
  'app.info': {},
  'settings.get': {},
  // The port is set to a free one before the commands run: `miner.start` opens it.
  'settings.update': { axon: { port: 1 } },
  'miner.status': {},
  // Stopping a stopped miner is harmless, and the same through both transports.
  'miner.stop': {},
  'miner.start': {},
  'challenges.thumbnail': { hash: '0'.repeat(64) },
  'metagraph.history': { limit: 10 },
  'hardcases.query': { sort: 'newest' },
  // The view's id is set once the test has queried: the same query gives the same view.
  'hardcases.page': { view: 'set-by-the-test', offset: 0, limit: 5 },
  'hardcases.facets': {},
  'hardcases.thumbnails': { hashes: ['0'.repeat(64)] },
  // The hash of a case the test adds.
  'hardcases.preview': { hash: '0'.repeat(64) },
  // An empty chunk at 0 stages an empty file: the same answer the second time.
  'hardcases.upload': { batch: 'batch-0001', name: 'a.jpg', offset: 0, data: '' },
  // Nothing of it staged: refused the same way twice.
  'hardcases.importUploaded': { batch: 'batch-0002', files: [{ name: 'b.jpg', size: 10 }] },
  'hardcases.counts': {},
  'hardcases.label': { hashes: ['0'.repeat(64)], label: 'roadwork' },
  'hardcases.import': { paths: ['/nonexistent/image.jpg'] },
  // An existing file as the target folder: both transports carry the same refusal.
  'hardcases.export': { out: '/dev/null' },
  'hardcases.undo': {},
  'hardcases.redo': {},
  'vlm.status': {},
  // With no serve command in Settings, both transports carry the same refusal.
  'vlm.start': {},
  'vlm.stop': {},
  // No trainer host in these settings: each is refused the same way through both transports.
  'training.testHost': { hostId: 'box' },
  'training.hostKey': { hostId: 'box' },
  'training.trustHostKey': { hostId: 'box', fingerprint: 'SHA256:x' },
  'training.forgetHostKey': { hostId: 'box' },
  'training.runs': {},
  'training.start': { maxSteps: 1 },
  'training.cancel': { id: 'no-such-run' },
  'training.metrics': { id: 'no-such-run' },
  'training.log': { id: 'no-such-run' },
  // No trainer host to open a terminal to, and no terminal: refused alike.
  'terminal.open': { hostId: 'box', cols: 80, rows: 24 },
  'terminal.list': {},
  'terminal.input': { id: 'term-999', data: 'ls\r' },
  'terminal.resize': { id: 'term-999', cols: 100, rows: 30 },
  'terminal.ack': { id: 'term-999', bytes: 10 },
  'terminal.close': { id: 'term-999' },
  'models.list': {},
  // The shipped model, registered at first start under a fixed id.
  'models.get': { id: 'default-1.0.0' },
  // Refused the same way through both (an evaluation's timings differ from run to run).
  'models.import': { dir: '/nonexistent/model' },
  'models.markPublished': { id: 'no-such-model', at: '2026-01-01T00:00:00Z' },
  'models.evaluate': { id: 'no-such-model' },
  'models.deploy': { id: 'default-1.0.0', confirm: false },
  'models.rollback': {},
  // No trainer host on a fresh console: refused before any download, alike through both.
  'models.importHf': { repo: 'natix-network-org/roadwork', where: 'trainer' },
  'models.importFolder': { dir: '/nonexistent/hf-model', where: 'trainer' },
  'models.importStatus': {},
  'models.importCancel': {},
  'alerts.list': { limit: 10 },
  // No such alert: nothing to acknowledge (null), alike through both.
  'alerts.acknowledge': { id: 'no-such-alert' },
  'earnings.summary': { days: 30 },
  'earnings.csv': { days: 30 },
  // Importing the same price twice gives the same answer.
  'earnings.importPrices': { csv: 'date,price\n2026-01-01,400\n' },
  'publish.tokenStatus': {},
  // Not shaped like a Hub token: refused by the schema through both.
  'publish.setToken': { token: 'not-a-token' },
  'publish.modelCard': { modelId: 'no-such-model' },
  'publish.upload': { modelId: 'no-such-model', repo: 'operator/roadwork' },
  // Not mining, so no uid: the same "failed" status through both.
  'publish.register': { modelRepo: 'operator/roadwork' },
  'publish.clearToken': {},
};
/** The samples above that are refused by design (the refusal still has to match). */
const REFUSED = new Set<CommandName>([
  'vlm.start',
  'hardcases.export',
  'training.testHost',
  'training.hostKey',
  'training.trustHostKey',
  'training.forgetHostKey',
  'training.start',
  'training.cancel',
  'training.log',
  'terminal.open',
  'terminal.input',
  'terminal.resize',
  'terminal.ack',
  'terminal.close',
  'models.import',
  'models.markPublished',
  'models.evaluate',
  'models.deploy',
  'models.rollback',
  'models.importHf',
  'models.importFolder',
  'publish.setToken',
  'publish.modelCard',
  'publish.upload',
]);

const SAMPLE_PARAMS: { [K in StreamName]: StreamParams<K> } = {
  'miner.status': {},
  'settings.changed': {},
  'log.entries': { backlog: 5 },
  'host.metrics': {},
  'challenges.live': { backlog: 5 },
  'vlm.status': {},
  'metagraph.view': {},
  'hardcases.counts': {},
  'training.runs': {},
  'training.metrics': { id: 'no-such-run' },
  // An unknown terminal: one event saying it is gone.
  'terminal.output': { id: 'term-999' },
  'terminal.sessions': {},
  'models.registry': {},
  'models.importProgress': {},
  'alerts.active': {},
  'earnings.summary': { days: 30 },
  'publish.progress': {},
  'publish.registration': {},
};

interface Bindings {
  host: Host;
  ipc: { transport: Transport; client: OperatorClient; fake: FakeIpc };
  ws: { transport: Transport; client: OperatorClient };
}

/** One back end, reached by the two transports the console uses; closed at the end of `lifetime`. */
function useBothBindings(lifetime: Lifetime = 'test'): () => Promise<Bindings> {
  const testServer = useTestServers(lifetime);
  const cleanups: (() => unknown)[] = [];
  afterLifetime(lifetime)(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return () => bothBindings(testServer, cleanups);
}

async function bothBindings(
  testServer: ReturnType<typeof useTestServers>,
  cleanups: (() => unknown)[],
): Promise<Bindings> {
  const { host, server } = await testServer();
  const fake = new FakeIpc();
  const binding = bindIpc(
    fake.ipcMain,
    host.endpoint,
    (event) => event.senderFrame !== null && isAppUrl(event.senderFrame.url),
  );
  cleanups.push(() => binding.dispose());
  const ipcTransport = createPreloadBridge(fake.ipcRenderer);
  const wsTransport = createWsTransport({
    url: `ws://127.0.0.1:${server.port}/api`,
    createSocket: (url) => new WebSocket(url, { headers: { authorization: `Bearer ${server.token}` } }),
  });
  cleanups.push(() => wsTransport.close());
  return {
    host,
    ipc: { transport: ipcTransport, client: new OperatorClient(ipcTransport), fake },
    ws: { transport: wsTransport, client: new OperatorClient(wsTransport) },
  };
}

function firstEvents<K extends StreamName>(client: OperatorClient, name: K): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const unsubscribe = client.subscribe(
      name,
      SAMPLE_PARAMS[name],
      (events) => {
        unsubscribe();
        resolve(events);
      },
      reject,
    );
  });
}

describe('the IPC and WebSocket bindings answer every command the same way', () => {
  // One back end that the commands act on in turn, in the contract's order.
  const suiteBindings = useBothBindings('suite');
  let bindings: Bindings;
  beforeAll(async () => {
    bindings = await suiteBindings();
    SAMPLE_REQUESTS['settings.update'] = { axon: { port: await freePort() } };
    const image = (await renderStreetImage(6, 'none', 0)).jpeg;
    const { hash } = await bindings.host.hardCases.addImage(image, importedSighting());
    SAMPLE_REQUESTS['hardcases.preview'] = { hash };
    SAMPLE_REQUESTS['hardcases.page'].view = (
      await bindings.ipc.client.call('hardcases.query', { sort: 'newest' })
    ).view;
  }, 60_000);

  it.each(commandNames)('%s', async (name) => {
    const { ipc, ws } = bindings;
    // An answer or a refusal: either way, the same through both.
    const outcome = (client: typeof ipc.client) =>
      client.call(name, SAMPLE_REQUESTS[name]).then(
        (value) => ({ value }),
        (error: unknown) => ({ error: error instanceof ApiError ? [error.code, error.message] : String(error) }),
      );
    const viaIpc = await outcome(ipc.client);
    const viaWs = await outcome(ws.client);
    expect(viaWs).toEqual(viaIpc);
    if (!REFUSED.has(name)) expect(viaIpc).toHaveProperty('value');
  });
});

describe('the IPC and WebSocket bindings expose one contract', () => {
  const bothBindings = useBothBindings();

  it('deliver every stream, each event within its schema', async () => {
    const { host, ipc, ws } = await bothBindings();
    // The challenge stream replays what was logged: log one.
    await host.challenges.record({
      time: new Date().toISOString(),
      hotkey: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
      uid: 0,
      status: 200,
      message: 'Success',
      latencyMs: 3,
      prediction: 0.9,
      firstStage: 0.9,
      secondStage: null,
      testnetLabel: null,
      image: null,
    });
    for (const name of streamNames) {
      for (const client of [ipc.client, ws.client]) {
        const events = await firstEvents(client, name);
        expect(events.length, name).toBeGreaterThan(0);
        for (const event of events) expect(streams[name].event.safeParse(event).success, name).toBe(true);
      }
    }
  });

  it('refuse an invalid payload with the same clear error', async () => {
    const { ipc, ws } = await bothBindings();
    // Straight at the transport, as a compromised or outdated renderer would send it.
    const bad = { axon: { port: 'eighty' } };
    const viaIpc = await ipc.transport.invoke('settings.update', bad);
    const viaWs = await ws.transport.invoke('settings.update', bad);
    expect(viaIpc).toEqual(viaWs);
    expect(viaIpc).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    if (!viaIpc.ok) expect(viaIpc.error.message).toMatch(/^settings\.update: axon\.port: .*number/);

    const viaClient = ipc.client.call('settings.update', bad as unknown as CommandRequest<'settings.update'>);
    await expect(viaClient).rejects.toBeInstanceOf(ApiError);
    await expect(viaClient).rejects.toMatchObject({ code: 'invalid_request' });
    expect((await ws.client.call('settings.get', {})).axon.port).toBe(8091);
  });

  it('refuse an unknown command and an unknown stream alike', async () => {
    const { ipc, ws } = await bothBindings();
    const viaIpc = await ipc.transport.invoke('wallet.coldkey', {});
    expect(viaIpc).toEqual(await ws.transport.invoke('wallet.coldkey', {}));
    expect(viaIpc).toMatchObject({ ok: false, error: { code: 'unknown_command' } });
    const streamErrors = await Promise.all(
      [ipc.transport, ws.transport].map(
        (transport) =>
          new Promise((resolve) =>
            transport.subscribe('wallet.seeds', {}, { onEvents: () => undefined, onError: resolve }),
          ),
      ),
    );
    expect(streamErrors[0]).toEqual(streamErrors[1]);
    expect(streamErrors[0]).toMatchObject({ code: 'unknown_stream' });
  });

  it('show one console what another changed', async () => {
    const { ipc, ws } = await bothBindings();
    const seen: number[] = [];
    const unsubscribe = ws.client.subscribe('settings.changed', {}, (events) =>
      seen.push(...events.map((s) => s.axon.port)),
    );
    await expect.poll(() => seen).toEqual([8091]);
    await ipc.client.call('settings.update', { axon: { port: 9999 } });
    await expect.poll(() => seen).toEqual([8091, 9999]);
    unsubscribe();
  });

  it('IPC refuses calls from a frame that is not the console', async () => {
    const { ipc } = await bothBindings();
    ipc.fake.frameUrl = 'https://evil.example/';
    expect(await ipc.transport.invoke('settings.get', {})).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
  });

  it("IPC lets go of a window's subscriptions when it closes", async () => {
    const { host, ipc } = await bothBindings();
    const before = host.log.subscriberCount;
    ipc.client.subscribe('log.entries', { backlog: 0 }, () => undefined);
    await expect.poll(() => host.log.subscriberCount).toBe(before + 1);
    ipc.fake.destroy();
    expect(host.log.subscriberCount).toBe(before);
  });
});
