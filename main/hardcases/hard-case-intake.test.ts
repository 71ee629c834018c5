import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { describe, expect, it } from 'vitest';
import type { ChallengeRecord } from '../../shared/domain/challenge.js';
import type { MinerStatus } from '../../shared/domain/miner.js';
import { freePort } from '../../tests/free-port.js';
import { useTempDirs } from '../../tests/temp-dir.js';
import { useTestHosts } from '../../tests/test-host.js';
import type { WorkerLauncher } from '../inference/worker-launcher.js';
import type { ToWorker } from '../inference/worker-protocol.js';
import { IMAGE_SYNAPSE } from '../miner/image-synapse.js';
import { signaturesReady } from '../bittensor/signature.js';
import { renderStreetImage } from '../scenes/generate.js';
import { buildDendriteRequest } from '../bittensor/dendrite.js';

/**
 * An inference worker whose model is never sure (P = 0.55) and embeds every image as `vector`:
 * what the miner does with an unsure answer is the same whichever model gave it.
 */
function unsureModel(vector: Float32Array): WorkerLauncher {
  return () => {
    let listener: (message: unknown) => void = () => undefined;
    return {
      pid: undefined,
      send: (raw) => {
        const message = raw as ToWorker;
        setImmediate(() =>
          listener(
            message.type === 'load'
              ? { type: 'ready', provider: 'cpu', model: { name: 'unsure', version: '2.0.0' }, rss: 0 }
              : { type: 'result', id: message.id, probability: 0.55, embedding: vector.slice(), rss: 0 },
          ),
        );
      },
      onMessage: (next) => (listener = next),
      onExit: () => undefined,
      kill: () => undefined,
    };
  };
}

const testHost = useTestHosts();
const tempDir = useTempDirs();

describe('challenges the miner was unsure of', () => {
  it('become hard cases with their image, each stage and the validator; a repeat counts as seen again', async () => {
    const host = await testHost();
    const image = (await renderStreetImage(21, 'roadwork', 2)).jpeg;
    const challenge = {
      time: new Date().toISOString(),
      hotkey: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
      uid: 0,
      status: 200,
      message: 'Success',
      latencyMs: 4,
      prediction: 0.58,
      firstStage: 0.62,
      secondStage: 0.54,
      testnetLabel: null,
      image,
    };
    const unsure = await host.challenges.record(challenge);
    await host.challenges.record({ ...challenge, time: new Date().toISOString() });
    await host.challenges.record({ ...challenge, prediction: 0.97, image: Buffer.from(image).fill(7, 500, 600) });
    expect(host.hardCases.counts()).toMatchObject({ total: 1, unlabelled: 1 });
    expect(host.hardCases.get(unsure.imageHash!)).toMatchObject({
      source: 'challenge',
      timesSeen: 2,
      firstStage: 0.62,
      secondStage: 0.54,
      validator: challenge.hotkey,
      confidence: 0.58,
    });
  });

  it('arrive from the axon with the embedding of the model that was unsure of them, which consoles are not sent', async () => {
    await signaturesReady();
    const vector = Float32Array.from({ length: 16 }, (_, i) => Math.sin(i + 1));
    const host = await testHost({ launchWorker: unsureModel(vector) });
    const port = await freePort();
    await host.endpoint.invoke('settings.update', { axon: { port } });
    const records: ChallengeRecord[] = [];
    host.endpoint.subscribe('challenges.live', { backlog: 0 }, (record) => records.push(record as ChallengeRecord));
    const started = await host.endpoint.invoke('miner.start', {});
    const serving = (started.ok ? started.value : null) as MinerStatus | null;
    expect(serving?.state).toBe('serving');
    const alice = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice');
    const image = (await renderStreetImage(22, 'roadwork', 1)).jpeg;
    const request = buildDendriteRequest(
      alice,
      { ip: '127.0.0.1', port, hotkey: serving!.hotkeyAddress! },
      { synapseName: IMAGE_SYNAPSE, fields: { image: image.toString('base64'), prediction: -1.0, testnet_label: -1 } },
    );
    const reply = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
    expect(reply.status).toBe(200);
    await expect.poll(() => host.hardCases.counts().total).toBe(1);
    const [hardCase] = host.hardCases.list(10);
    expect(hardCase).toMatchObject({
      source: 'challenge',
      prediction: 0.55,
      firstStage: 0.55,
      validator: alice.address,
    });
    expect(host.hardCases.embeddingOf(hardCase!.hash)).toEqual({ model: 'unsure@2.0.0', vector });
    await expect.poll(() => records.length).toBe(1);
    expect(records[0]).toMatchObject({ hardCase: true, imageHash: hardCase!.hash });
    expect(JSON.stringify(records[0])).not.toMatch(/embedding/);
    await host.endpoint.invoke('miner.stop', {});
  });

  it('are labelled, undone and redone through the contract, which refuses a malformed request', async () => {
    const host = await testHost();
    const hashes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { hash } = await host.hardCases.addImage(Buffer.from(`case ${i}`), {
        source: 'imported',
        time: new Date().toISOString(),
        validator: null,
        prediction: 0.5 + i / 20,
        firstStage: null,
        secondStage: null,
        testnetLabel: null,
      });
      hashes.push(hash);
    }
    const invoke = async (name: string, payload: unknown) => {
      const result = await host.endpoint.invoke(name, payload);
      if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
      return result.value as { counts: Record<string, number> } | null;
    };
    const view = (await host.endpoint.invoke('hardcases.query', {})) as { ok: true; value: { view: string } };
    const page = (await host.endpoint.invoke('hardcases.page', { view: view.value.view, offset: 0 })) as {
      ok: true;
      value: { hash: string }[];
    };
    expect(page.value.map((c) => c.hash)).toEqual(hashes); // least sure first
    expect((await invoke('hardcases.label', { hashes: hashes.slice(0, 2), label: 'roadwork' }))!.counts).toMatchObject({
      roadwork: 2,
      unlabelled: 1,
    });
    expect((await invoke('hardcases.undo', {}))!.counts).toMatchObject({ roadwork: 0, unlabelled: 3 });
    expect((await invoke('hardcases.redo', {}))!.counts).toMatchObject({ roadwork: 2 });
    expect(await invoke('hardcases.redo', {})).toBeNull();
    await expect(invoke('hardcases.label', { hashes: ['not-a-hash'], label: 'roadwork' })).rejects.toThrow(
      /invalid_request.*hashes/,
    );
    await expect(invoke('hardcases.label', { hashes, label: 'maybe' })).rejects.toThrow(/invalid_request/);
  });

  it('are imported from a folder and exported as a dataset through the contract', async () => {
    const host = await testHost();
    const folder = await tempDir();
    await mkdir(join(folder, 'roadwork'));
    await mkdir(join(folder, 'none'));
    await writeFile(join(folder, 'roadwork', 'a.jpg'), (await renderStreetImage(41, 'roadwork', 0)).jpeg);
    await writeFile(join(folder, 'none', 'b.jpg'), (await renderStreetImage(42, 'none', 0)).jpeg);
    await writeFile(join(folder, 'none', 'c.txt'), 'notes');
    const imported = await host.endpoint.invoke('hardcases.import', { paths: [folder] });
    expect(imported.ok && (imported.value as { status: string }[]).map((v) => v.status).sort()).toEqual([
      'added',
      'added',
      'refused',
    ]);
    const out = await tempDir();
    const exported = await host.endpoint.invoke('hardcases.export', { out, heldOut: 0 });
    expect(exported.ok && exported.value).toMatchObject({ real: 2, roadwork: 1, none: 1, val: 0 });
    const again = await host.endpoint.invoke('hardcases.export', { out });
    expect(again).toMatchObject({
      ok: false,
      error: { code: 'failed', message: expect.stringMatching(/already holds a dataset/) as unknown },
    });
  });
});
