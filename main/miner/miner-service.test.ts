import { createServer } from 'node:net';
import { Keyring } from '@polkadot/keyring';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChallengeRecord } from '../../shared/domain/challenge.js';
import type { MinerStatus } from '../../shared/domain/miner.js';
import { freePort } from '../../tests/free-port.js';
import { useTempDirs } from '../../tests/temp-dir.js';
import { useTestHosts } from '../../tests/test-host.js';
import type { Host } from '../host.js';
import { renderStreetImage } from '../scenes/generate.js';
import { buildDendriteRequest } from '../subnet/dendrite.js';
import { IMAGE_SYNAPSE } from './image-synapse.js';
import { signaturesReady } from './signature.js';

const testHost = useTestHosts();
const tempDir = useTempDirs();
let image: string;

beforeAll(async () => {
  await signaturesReady();
  image = (await renderStreetImage(3, 'roadwork', 0)).jpeg.toString('base64');
});

async function call<T>(host: Host, command: string, payload: unknown = {}): Promise<T> {
  const result = await host.endpoint.invoke(command, payload);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as T;
}

async function hostOnFreePort(): Promise<{ host: Host; port: number }> {
  const host = await testHost();
  const port = await freePort();
  await call(host, 'settings.update', { axon: { port } });
  return { host, port };
}

describe('Start mining', { timeout: 60_000 }, () => {
  it('serves on the local network with no wallet, answers a validator, counts it, and stops', async () => {
    const { host, port } = await hostOnFreePort();
    const seen: MinerStatus[] = [];
    const subscription = host.endpoint.subscribe('miner.status', {}, (status) => seen.push(status as MinerStatus));
    const challenges: ChallengeRecord[] = [];
    host.endpoint.subscribe('challenges.live', { backlog: 0 }, (record) => challenges.push(record as ChallengeRecord));

    const serving = await call<MinerStatus>(host, 'miner.start');
    expect(serving).toMatchObject({ state: 'serving', provider: 'cpu', model: { name: 'default' }, axonPort: port });
    expect(serving.hotkeyAddress).toMatch(/^5/);
    expect(seen.map((status) => status.state)).toEqual(expect.arrayContaining(['stopped', 'starting', 'serving']));

    const alice = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice');
    const request = buildDendriteRequest(
      alice,
      { ip: '127.0.0.1', port, hotkey: serving.hotkeyAddress! },
      {
        synapseName: IMAGE_SYNAPSE,
        fields: { image, prediction: -1.0, testnet_label: -1 },
      },
    );
    const reply = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
    expect(reply.status).toBe(200);
    await expect.poll(() => seen.at(-1)?.stats.answered).toBe(1);
    // Logged, with what we answered, the first stage's own output and a thumbnail.
    await expect.poll(() => challenges.length).toBe(1);
    expect(challenges[0]).toMatchObject({
      status: 200,
      uid: 0,
      hotkey: alice.address,
      imageHash: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
    });
    expect(challenges[0]!.prediction).toBe(challenges[0]!.firstStage);
    const thumbnail = await call<{ dataUrl: string | null }>(host, 'challenges.thumbnail', {
      hash: challenges[0]!.imageHash,
    });
    expect(thumbnail.dataUrl).toMatch(/^data:image\/jpeg;base64,/);
    expect(seen.at(-1)?.stats.latencyP50Ms).toEqual(expect.any(Number));

    const stopped = await call<MinerStatus>(host, 'miner.stop');
    expect(stopped.state).toBe('stopped');
    await expect(
      fetch(request.url, { method: 'POST', headers: request.headers, body: request.body }),
    ).rejects.toThrow();
    if (subscription.ok) subscription.subscription.dispose();
  });

  it('keeps the same local hotkey across restarts', async () => {
    const { host } = await hostOnFreePort();
    const first = await call<MinerStatus>(host, 'miner.start');
    await call(host, 'miner.stop');
    const second = await call<MinerStatus>(host, 'miner.start');
    expect(second.hotkeyAddress).toBe(first.hotkeyAddress);
    await call(host, 'miner.stop');
  });

  it('says so when the axon port is taken', async () => {
    const { host, port } = await hostOnFreePort();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const status = await call<MinerStatus>(host, 'miner.start');
      expect(status.state).toBe('error');
      expect(status.message).toMatch(new RegExp(`Port ${port} is in use`));
    } finally {
      blocker.close();
    }
  });

  it('says so when the model folder holds no model, and when the network is not local', async () => {
    const { host } = await hostOnFreePort();
    await call(host, 'settings.update', { inference: { modelDir: await tempDir() } });
    const noModel = await call<MinerStatus>(host, 'miner.start');
    expect(noModel).toMatchObject({
      state: 'error',
      message: expect.stringMatching(/cannot be served: .*model\.json cannot be read/) as unknown,
    });

    await call(host, 'settings.update', { inference: { modelDir: null }, chain: { network: 'finney', netuid: 72 } });
    const finney = await call<MinerStatus>(host, 'miner.start');
    expect(finney).toMatchObject({
      state: 'error',
      message: expect.stringMatching(/needs the chain connection/) as unknown,
    });
    expect((await call<MinerStatus>(host, 'miner.stop')).state).toBe('stopped');
  });
});
