import { Keyring } from '@polkadot/keyring';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MinerStatus } from '../../shared/domain/miner.js';
import { freePort } from '../../tests/free-port.js';
import { useTestHosts } from '../../tests/test-host.js';
import type { Host } from '../host.js';
import { forkWorker } from '../inference/worker-launcher.js';
import { renderStreetImage } from '../scenes/generate.js';
import { buildDendriteRequest } from '../bittensor/dendrite.js';
import { IMAGE_SYNAPSE } from './image-synapse.js';
import { signaturesReady } from '../bittensor/signature.js';

const testHost = useTestHosts();
let image: string;
beforeAll(async () => {
  await signaturesReady();
  image = (await renderStreetImage(5, 'roadwork', 0)).jpeg.toString('base64');
});

async function call<T>(host: Host, command: string, payload: unknown = {}): Promise<T> {
  const result = await host.endpoint.invoke(command, payload);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as T;
}

/** A miner serving on the local subnet, with the pids of the real inference workers it launched. */
async function servingMiner(): Promise<{
  host: Host;
  port: number;
  hotkey: string;
  workers: number[];
  logged: () => number;
}> {
  const workers: number[] = [];
  const host = await testHost({
    launchWorker: () => {
      const handle = forkWorker();
      if (handle.pid !== undefined) workers.push(handle.pid);
      return handle;
    },
  });
  // Each answer is logged (with its image) after it is sent: a test waits for those writes.
  let logged = 0;
  host.endpoint.subscribe('challenges.live', { backlog: 0 }, () => logged++);
  const port = await freePort();
  await call(host, 'settings.update', { axon: { port } });
  const status = await call<MinerStatus>(host, 'miner.start');
  expect(status.state, status.message).toBe('serving');
  return { host, port, hotkey: status.hotkeyAddress!, workers, logged: () => logged };
}

const alice = () => new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice');

/** A validator's signed ImageSynapse request; the answer's status and prediction. */
async function ask(
  port: number,
  hotkey: string,
  imageField: string,
  timeoutS = 9,
): Promise<{ status: number; prediction: unknown }> {
  const request = buildDendriteRequest(
    alice(),
    { ip: '127.0.0.1', port, hotkey },
    { synapseName: IMAGE_SYNAPSE, fields: { image: imageField, prediction: -1.0, testnet_label: -1 }, timeoutS },
  );
  const reply = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
  const body = reply.ok ? ((await reply.json()) as { prediction?: unknown }) : {};
  return { status: reply.status, prediction: body.prediction };
}

const unjudged = async (host: Host): Promise<number> => (await call<MinerStatus>(host, 'miner.status')).stats.unjudged;

describe('an image the model cannot judge', { timeout: 60_000 }, () => {
  it('is answered -1 by default and 0.5 when Settings say prior, and counted on the Overview', async () => {
    const { host, port, hotkey, logged } = await servingMiner();
    const corrupt = Buffer.from('these bytes are no image at all').toString('base64');

    expect(await ask(port, hotkey, corrupt)).toEqual({ status: 200, prediction: -1 });
    expect(await ask(port, hotkey, '%%% not base64 %%%')).toEqual({ status: 200, prediction: -1 });
    await expect.poll(() => unjudged(host)).toBe(2);

    // The policy applies to the next request, without a restart.
    await call(host, 'settings.update', { inference: { cannotJudge: 'prior' } });
    expect(await ask(port, hotkey, corrupt)).toEqual({ status: 200, prediction: 0.5 });
    await expect.poll(() => unjudged(host)).toBe(3);

    // A judged image is answered by the model and not counted.
    const judged = await ask(port, hotkey, image);
    expect(judged.status).toBe(200);
    expect(judged.prediction).toEqual(expect.any(Number));
    expect(judged.prediction).not.toBe(0.5);
    const status = await call<MinerStatus>(host, 'miner.status');
    expect(status.stats).toMatchObject({ answered: 4, unjudged: 3 });
    await expect.poll(logged).toBe(4);
  });

  it('is answered by policy before its deadline when inference does not finish in time', async () => {
    const { host, port, hotkey, workers, logged } = await servingMiner();
    const worker = workers.at(-1)!;
    // The worker is frozen (as under a long stall): the request would wait for it forever.
    process.kill(worker, 'SIGSTOP');
    try {
      expect(await ask(port, hotkey, image, 2)).toEqual({ status: 200, prediction: -1 });
      await expect.poll(() => unjudged(host)).toBe(1);
    } finally {
      process.kill(worker, 'SIGCONT');
    }
    // Thawed, it judges again.
    const judged = await ask(port, hotkey, image);
    expect(judged.status).toBe(200);
    expect(judged.prediction).not.toBe(-1);
    expect(await unjudged(host)).toBe(1);
    await expect.poll(logged).toBe(2);
  });
});
