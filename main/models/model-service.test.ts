import { Keyring } from '@polkadot/keyring';
import { access, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MinerStatus } from '../../shared/domain/miner.js';
import type {
  DeployOutcome,
  ModelEvaluation,
  ModelRegistryView,
  RegisteredModel,
} from '../../shared/domain/model-registry.js';
import type { Settings } from '../../shared/domain/settings.js';
import { freePort } from '../../tests/free-port.js';
import { useTempDirs } from '../../tests/temp-dir.js';
import { createHost, type Host, type HostOptions } from '../host.js';
import { IMAGE_SYNAPSE } from '../miner/image-synapse.js';
import { signaturesReady } from '../bittensor/signature.js';
import { renderStreetImage } from '../scenes/generate.js';
import { buildDendriteRequest } from '../bittensor/dendrite.js';
import { copyOfShippedModel, scaledShippedModel } from './model-fixtures.js';

const tempDir = useTempDirs();

/** A short judgement: a handful of rehearsal challenges, a small generated held-out set. */
const QUICK: HostOptions['modelJudging'] = {
  rehearsal: { validators: 2, challenges: 6, peers: 6 },
  fallbackScenes: 60,
};

async function openHost(dataDir: string): Promise<Host> {
  return createHost({
    kind: 'headless',
    dataDir,
    axonHost: '127.0.0.1',
    localPace: { roundIntervalMs: 60_000, tempoRounds: 5 },
    modelJudging: QUICK,
  });
}

async function call<T>(host: Host, command: string, payload: unknown = {}): Promise<T> {
  const result = await host.endpoint.invoke(command, payload);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as T;
}

describe('the model registry', { timeout: 120_000 }, () => {
  it('keeps every model, its publication and the live one across a restart', async () => {
    const dataDir = await tempDir();
    const first = await openHost(dataDir);
    const fresh = await call<ModelRegistryView>(first, 'models.list');
    // The shipped model is registered at first start, live, with its manifest's numbers.
    expect(fresh.liveId).toBe('default-1.0.0');
    expect(fresh.models).toHaveLength(1);
    expect(fresh.models[0]).toMatchObject({
      origin: { kind: 'shipped' },
      live: true,
      metrics: { valMcc: 0.89678 },
      dataHash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) as unknown,
      deployments: [{ kind: 'initial' }],
    });

    const runFolder = await copyOfShippedModel(await tempDir(), '1.1.0', 'candidate');
    const { id } = await first.models.addTrained(runFolder, { runId: 'run-7', hostId: 'box' });
    expect(id).toBe('candidate-1.1.0');
    // The same files again are the same model, not a second one.
    expect((await first.models.addTrained(runFolder, { runId: 'run-7', hostId: 'box' })).id).toBe(id);
    await call(first, 'models.markPublished', { id, at: '2026-01-02T03:04:05Z' });
    await first.close();

    const second = await openHost(dataDir);
    try {
      const model = await call<RegisteredModel>(second, 'models.get', { id });
      expect(model).toMatchObject({
        name: 'candidate',
        version: '1.1.0',
        architecture: 'small-cnn',
        origin: { kind: 'trained', runId: 'run-7', hostId: 'box' },
        parentId: 'default-1.0.0',
        publishedAt: '2026-01-02T03:04:05.000Z',
        live: false,
      });
      expect(model.age?.daysSincePublication).toBeGreaterThanOrEqual(0);
      // Its own copy of the files: the run's folder may go.
      expect(model.dir).toBe(join(dataDir, 'models', id));
      await access(join(model.dir, 'model.onnx'));
      expect((await call<ModelRegistryView>(second, 'models.list')).models.map((m) => m.id)).toEqual([
        id,
        'default-1.0.0',
      ]);
    } finally {
      await second.close();
    }
  });

  it('refuses a folder that is not a model, saying what is wrong', async () => {
    const host = await openHost(await tempDir());
    try {
      const empty = await tempDir();
      await expect(host.models.addTrained(empty, { runId: 'r', hostId: 'h' })).rejects.toThrow(
        /model\.json cannot be read/,
      );
      const result = await host.endpoint.invoke('models.import', { dir: empty });
      expect(result).toMatchObject({ ok: false, error: { code: 'failed' } });
      // A manifest beside an ONNX file cut short: refused, and nothing registered.
      const truncated = await copyOfShippedModel(await tempDir(), '3.0.0');
      await truncate(join(truncated, 'model.onnx'), 4096);
      await expect(host.models.import(truncated)).rejects.toThrow(/model\.onnx does not run as/);
      expect((await call<ModelRegistryView>(host, 'models.list')).models).toHaveLength(1);
    } finally {
      await host.close();
    }
  });
});

describe('judging and deploying', { timeout: 180_000 }, () => {
  let image: string;
  beforeAll(async () => {
    await signaturesReady();
    image = (await renderStreetImage(3, 'roadwork', 0)).jpeg.toString('base64');
  });

  it('refuses a model worse than the live one, with the numbers', async () => {
    const host = await openHost(await tempDir());
    try {
      const flipped = await call<RegisteredModel>(host, 'models.import', {
        dir: await scaledShippedModel(await tempDir(), -1, '0.0.1', 'flipped'),
      });
      const running = call<ModelEvaluation>(host, 'models.evaluate', { id: flipped.id });
      // One evaluation at a time: a second, while the first runs, is refused.
      const second = await host.endpoint.invoke('models.evaluate', { id: 'default-1.0.0' });
      expect(second).toMatchObject({ ok: false, error: { message: /one evaluation runs at a time/ } });
      const evaluation = await running;
      expect(evaluation.heldOut).toMatchObject({ source: 'generated', images: 60 });
      expect(evaluation.heldOut.note).toMatch(/fewer than 20/);
      expect(evaluation.candidate.heldOut.mcc).toBeLessThan(0);
      expect(evaluation.live.heldOut.mcc).toBeGreaterThan(0.5);
      expect(evaluation.candidate.rehearsal.meanReward).toBeLessThan(evaluation.live.rehearsal.meanReward);
      expect(evaluation.gate.passed).toBe(false);

      const refused = await host.endpoint.invoke('models.deploy', { id: flipped.id, confirm: true });
      expect(refused.ok).toBe(false);
      const message = refused.ok ? '' : refused.error.message;
      expect(message).toContain(`MCC ${evaluation.candidate.heldOut.mcc.toFixed(3)}`);
      expect(message).toContain(evaluation.live.heldOut.mcc.toFixed(3));
      expect(message).toContain(`Rehearsal reward ${evaluation.candidate.rehearsal.meanReward.toFixed(4)}`);
      expect((await call<ModelRegistryView>(host, 'models.list')).liveId).toBe('default-1.0.0');
    } finally {
      await host.close();
    }
  });

  it('swaps the model while the miner answers a stream of requests, drops none, and rolls back', async () => {
    const dataDir = await tempDir();
    const host = await openHost(dataDir);
    try {
      const port = await freePort();
      await call(host, 'settings.update', { axon: { port } });
      const serving = await call<MinerStatus>(host, 'miner.start');
      expect(serving.state).toBe('serving');
      const alice = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice');
      const ask = async (): Promise<number> => {
        const request = buildDendriteRequest(
          alice,
          { ip: '127.0.0.1', port, hotkey: serving.hotkeyAddress! },
          { synapseName: IMAGE_SYNAPSE, fields: { image, prediction: -1.0, testnet_label: -1 } },
        );
        const reply = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
        expect(reply.status).toBe(200);
        return ((await reply.json()) as { prediction: number }).prediction;
      };
      const before = await ask();

      // Softer probabilities on the same side of 0.5: judged equal, so the gate lets it through.
      const softer = await call<RegisteredModel>(host, 'models.import', {
        dir: await scaledShippedModel(await tempDir(), 0.5, '1.0.1', 'softer'),
      });
      const evaluation = await call<ModelEvaluation>(host, 'models.evaluate', { id: softer.id });
      expect(evaluation.gate).toMatchObject({ passed: true, reasons: [] });
      const logit = Math.log(before / (1 - before));
      const expected = 1 / (1 + Math.exp(-logit / 2));

      const refusedUnconfirmed = await host.endpoint.invoke('models.deploy', { id: softer.id, confirm: false });
      expect(refusedUnconfirmed).toMatchObject({ ok: false, error: { message: /confirm/ } });

      // Four clients keep asking while the model is swapped under them.
      let swapping = true;
      const answers: number[] = [];
      const clients = Array.from({ length: 4 }, async () => {
        while (swapping) answers.push(await ask());
      });
      const outcome = await call<DeployOutcome>(host, 'models.deploy', { id: softer.id, confirm: true });
      swapping = false;
      await Promise.all(clients);
      expect(outcome).toMatchObject({ modelId: softer.id, previousId: 'default-1.0.0', servedNow: true });
      expect(answers.length).toBeGreaterThan(0);
      for (const answer of answers) expect([before, expected].some((p) => Math.abs(p - answer) < 1e-4)).toBe(true);
      expect(await ask()).toBeCloseTo(expected, 4);
      expect((await call<MinerStatus>(host, 'miner.status')).model).toMatchObject({ name: 'softer', version: '1.0.1' });
      const settings = await call<Settings>(host, 'settings.get');
      expect(settings.inference.modelDir).toBe(softer.dir);

      const back = await call<DeployOutcome>(host, 'models.rollback');
      expect(back).toMatchObject({ modelId: 'default-1.0.0', previousId: softer.id, servedNow: true });
      expect(await ask()).toBeCloseTo(before, 4);
      const view = await call<ModelRegistryView>(host, 'models.list');
      expect(view.liveId).toBe('default-1.0.0');
      expect(view.models.find((m) => m.id === softer.id)?.deployments.map((d) => d.kind)).toEqual(['deploy']);
      expect(view.rollbackToId).toBeNull();
      await call(host, 'miner.stop');
    } finally {
      await host.close();
    }
    // The deployment and the rollback were on disk: a restart serves the rolled-back model.
    const again = await openHost(dataDir);
    try {
      const view = await call<ModelRegistryView>(again, 'models.list');
      expect(view.liveId).toBe('default-1.0.0');
      expect(view.models.find((m) => m.id === 'default-1.0.0')?.deployments.map((d) => d.kind)).toEqual([
        'initial',
        'rollback',
      ]);
    } finally {
      await again.close();
    }
  });

  it('deploys to a stopped miner for its next start', async () => {
    const host = await openHost(await tempDir());
    try {
      const same = await call<RegisteredModel>(host, 'models.import', {
        dir: await copyOfShippedModel(await tempDir(), '2.0.0'),
      });
      await call(host, 'models.evaluate', { id: same.id });
      const outcome = await call<DeployOutcome>(host, 'models.deploy', { id: same.id, confirm: true });
      expect(outcome).toMatchObject({ servedNow: false, message: expect.stringMatching(/next start/) as unknown });
      expect((await call<Settings>(host, 'settings.get')).inference.modelDir).toBe(same.dir);
    } finally {
      await host.close();
    }
  });
});
