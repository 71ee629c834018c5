/**
 * The loop the console exists for, through the back end's own API as a console calls it: labelled
 * hard cases → a run on the trainer box (a real sshd on loopback, the real train.py on CPU) →
 * metrics streamed → the model pulled into the registry → judged beside the live model → deployed
 * into the serving miner → rolled back.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MinerStatus } from '../shared/domain/miner.js';
import type { DeployOutcome, ModelEvaluation, ModelRegistryView } from '../shared/domain/model-registry.js';
import type { RunMetrics, TrainingRun } from '../shared/domain/training.js';
import { useSshd } from '../tests/ssh-suite.js';
import { useTempDirs } from '../tests/temp-dir.js';
import { useTestHosts } from '../tests/test-host.js';
import type { Host } from './host.js';
import { renderStreetImage } from './scenes/generate.js';
import { importedSighting } from './hardcases/hard-case-store.js';

const ssh = useSshd();
const testHost = useTestHosts();
const tempDir = useTempDirs();

async function call<T>(host: Host, command: string, payload: unknown = {}): Promise<T> {
  const result = await host.endpoint.invoke(command, payload);
  if (!result.ok) throw new Error(`${command}: ${result.error.message}`);
  return result.value as T;
}

/** Resolves with the first list of runs from the stream in which `accept` finds what it waits for. */
function whenRuns(host: Host, accept: (runs: TrainingRun[]) => boolean): Promise<TrainingRun[]> {
  return new Promise((resolve, reject) => {
    let done = false;
    const subscribed = host.endpoint.subscribe('training.runs', {}, (event) => {
      const runs = event as TrainingRun[];
      if (done || !accept(runs)) return;
      done = true;
      // The first event comes during subscribe, before `subscribed` is set.
      queueMicrotask(() => subscribed.ok && subscribed.subscription.dispose());
      resolve(runs);
    });
    if (!subscribed.ok) reject(new Error(subscribed.error.message));
  });
}

describe('the whole loop: label, train on the box, judge, deploy, roll back', () => {
  it('turns labelled hard cases into a model that serves, and takes it back', { timeout: 240_000 }, async () => {
    const dataDir = await tempDir();
    const host = await testHost({
      dataDir,
      modelJudging: { rehearsal: { validators: 2, challenges: 6, peers: 6 }, fallbackScenes: 40 },
    });
    // The box's host key, approved as the operator would (the console keeps its own known_hosts).
    await mkdir(join(dataDir, 'ssh'), { recursive: true });
    await copyFile(ssh.sshd.knownHostsPath, join(dataDir, 'ssh', 'known_hosts'));
    await call(host, 'settings.update', {
      training: { hosts: [ssh.sshd.host], epochs: 1, batchSize: 4, syntheticShare: 0 },
      // This operator deploys whatever the rehearsal-free gate lets through: a few CPU steps are
      // not a better model than the shipped one, and the gate's refusal has its own test.
      deploy: { maxMccDrop: 2, requireRehearsal: false },
    });
    for (let seed = 0; seed < 16; seed++) {
      const label = seed % 2 === 0 ? 'roadwork' : 'none';
      const { hash } = await host.hardCases.addImage((await renderStreetImage(seed, label)).jpeg, importedSighting());
      host.hardCases.label([hash], label, 'operator');
    }
    const serving = await call<MinerStatus>(host, 'miner.start');
    expect(serving.state).toBe('serving');
    const shipped = serving.model;

    const started = await call<TrainingRun>(host, 'training.start', { maxSteps: 3, device: 'cpu' });
    const finished = await whenRuns(host, (runs) =>
      runs.some((run) => run.id === started.id && ['done', 'failed', 'cancelled'].includes(run.state)),
    );
    const run = finished.find((candidate) => candidate.id === started.id)!;
    expect(run.reason).toBeNull();
    expect(run.state).toBe('done');
    expect(run.dataset).toMatchObject({ labelled: 16 });
    const metrics = await call<RunMetrics>(host, 'training.metrics', { id: run.id });
    expect(metrics.steps.at(-1)?.step).toBe(3);
    expect(run.modelId).not.toBeNull();

    const registry = await call<ModelRegistryView>(host, 'models.list');
    const trained = registry.models.find((model) => model.id === run.modelId)!;
    expect(trained.origin).toMatchObject({ kind: 'trained', runId: run.id });
    expect(trained.parentId).toBe(registry.liveId);
    const evaluation = await call<ModelEvaluation>(host, 'models.evaluate', { id: trained.id });
    expect(evaluation.gate.passed).toBe(true);

    const deployed = await call<DeployOutcome>(host, 'models.deploy', { id: trained.id, confirm: true });
    expect(deployed).toMatchObject({ modelId: trained.id, servedNow: true });
    let status = await call<MinerStatus>(host, 'miner.status');
    expect(status.state).toBe('serving');
    expect(status.model).toMatchObject({ name: trained.name, version: trained.version });

    const rolledBack = await call<DeployOutcome>(host, 'models.rollback');
    expect(rolledBack.modelId).toBe(registry.liveId);
    status = await call<MinerStatus>(host, 'miner.status');
    expect(status.model).toEqual(shipped);
    await call(host, 'miner.stop');
  });
});
