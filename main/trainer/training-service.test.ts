import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../tests/eventually.js';
import { canMountTmpfs } from '../../tests/sshd-fixture.js';
import { useSshd } from '../../tests/ssh-suite.js';
import { useTempDirs } from '../../tests/temp-dir.js';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/domain/settings.js';
import type { TrainerHost } from '../../shared/domain/trainer-host.js';
import type { RunMetricsEvent, RunState, StepPoint } from '../../shared/domain/training.js';
import { HardCaseStore, importedSighting } from '../hardcases/hard-case-store.js';
import { renderStreetImage } from '../scenes/generate.js';
import { openDatabase, type Db } from '../store/database.js';
import { MIGRATIONS } from '../store/migrations.js';
import type { RunRecord } from './run-store.js';
import { SshClient } from '../remote/ssh-client.js';
import { TrainingService, type TrainingTuning } from './training-service.js';

const ssh = useSshd();
const tempDir = useTempDirs();
const TRAINER_DIR = join(import.meta.dirname, '..', '..', 'resources', 'trainer');

/** Tiny images and a metrics line per step: the mechanics in seconds on a shared 2-core CPU. */
const TUNING: Partial<TrainingTuning> = {
  pollSeconds: 0.2,
  retryDelaysMs: [200, 400],
  runsEveryMs: 20,
  extraTrainerArgs: ['--image-size', '32', '--workers', '0', '--log-every', '1', '--checkpoint-every', '1000'],
};

const images: { jpeg: Buffer; label: 'roadwork' | 'none' }[] = [];
beforeAll(async () => {
  for (let seed = 0; seed < 16; seed++) {
    const label = seed % 2 === 0 ? 'roadwork' : 'none';
    images.push({ jpeg: (await renderStreetImage(seed, label)).jpeg, label });
  }
});

interface Console {
  dir: string;
  db: Db;
  hardCases: HardCaseStore;
  /** What the registry was handed: the run, the model's bytes and its manifest. */
  registered: { runId: string; onnx: Buffer; manifest: { training: { dataHash: string } } }[];
  service: TrainingService;
  /** A new service on the same database: the console restarted. */
  restart(): Promise<TrainingService>;
}

/** The console's side: a database of labelled hard cases, a registry that records what it gets. */
async function makeConsole(
  options: {
    host?: TrainerHost;
    client?: SshClient;
    labels?: 'both' | 'roadwork' | 'none';
    tuning?: Partial<TrainingTuning>;
  } = {},
): Promise<Console> {
  const dir = await tempDir();
  const db = openDatabase(join(dir, 'console.db'), MIGRATIONS);
  const hardCases = new HardCaseStore(db, join(dir, 'images'), join(dir, 'thumbnails'));
  if (options.labels !== 'none') {
    for (const image of images) {
      const { hash } = await hardCases.addImage(image.jpeg, importedSighting());
      hardCases.label([hash], options.labels === 'roadwork' ? 'roadwork' : image.label, 'test');
    }
  }
  const host = options.host ?? ssh.sshd.host;
  const settings: Settings = {
    ...DEFAULT_SETTINGS,
    training: { ...DEFAULT_SETTINGS.training, hosts: [host], epochs: 10, batchSize: 4, syntheticShare: 0 },
  };
  const registered: Console['registered'] = [];
  const make = () => {
    const service = new TrainingService({
      database: db,
      ssh: options.client ?? ssh.client,
      hosts: { resolve: () => host },
      settings: { get: () => settings },
      hardCases,
      models: {
        addTrained: async (modelDir, origin) => {
          registered.push({
            runId: origin.runId,
            onnx: await readFile(join(modelDir, 'model.onnx')),
            manifest: JSON.parse(await readFile(join(modelDir, 'model.json'), 'utf8')) as never,
          });
          return { id: `model-${origin.runId}` };
        },
      },
      trainerDir: TRAINER_DIR,
      localDir: join(dir, 'training'),
      tuning: { ...TUNING, ...options.tuning },
    });
    service.resume();
    return service;
  };
  const console: Console = {
    dir,
    db,
    hardCases,
    registered,
    service: make(),
    async restart() {
      await console.service.dispose();
      console.service = make();
      return console.service;
    },
  };
  cleanups.push(async () => {
    await console.service.dispose();
    hardCases.dispose();
    db.close();
  });
  return console;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A run's steps on the box: a python trainer over ssh, on a shared 2-core machine. */
const RUN_WAIT = { timeoutMs: 90_000 };

function run(console: Console, id: string): RunRecord {
  return console.service.store.require(id);
}

function ended(console: Console, id: string): Promise<RunRecord> {
  const finished: RunState[] = ['done', 'failed', 'cancelled'];
  return eventually(
    `run ${id} to end`,
    () => {
      const current = run(console, id);
      return finished.includes(current.state) ? current : null;
    },
    RUN_WAIT,
  );
}

/** The step lines of the run's metrics.jsonl on the box: what the console must hold, once each. */
async function remoteSteps(record: RunRecord): Promise<number[]> {
  const lines = (await readFile(join(record.remoteDir, 'metrics.jsonl'), 'utf8')).trim().split('\n');
  return lines
    .map((line) => JSON.parse(line) as { event: string; step: number })
    .filter((e) => e.event === 'step')
    .map((e) => e.step);
}

/**
 * A Python for the box that holds the trainer before it reports step 3 for as long as the gate file
 * exists: "mid-run" made certain rather than raced.
 */
/** A Python whose job holds before it reports `event` number `at` (a step; a generated image) while `gate` exists. */
async function gatedPython(event = 'step', field = 'step', at = 3): Promise<{ host: TrainerHost; gate: string }> {
  const dir = await tempDir();
  const gate = join(dir, 'gate');
  await mkdir(join(dir, 'site'));
  await writeFile(
    join(dir, 'site', 'sitecustomize.py'),
    [
      'import json, os, time',
      '_dumps = json.dumps',
      'def _gated(obj, *args, **kwargs):',
      `    if isinstance(obj, dict) and obj.get('event') == '${event}' and obj.get('${field}', 0) >= ${at}:`,
      `        while os.path.exists(${JSON.stringify(gate)}):`,
      '            time.sleep(0.05)',
      '    return _dumps(obj, *args, **kwargs)',
      'json.dumps = _gated',
      '',
    ].join('\n'),
  );
  const python = join(dir, 'python3');
  await writeFile(python, `#!/bin/sh\nPYTHONPATH=${join(dir, 'site')} exec /usr/bin/python3 "$@"\n`);
  await chmod(python, 0o755);
  await writeFile(gate, 'closed\n');
  return { host: { ...ssh.sshd.host, python }, gate };
}

const stepNumbers = (steps: StepPoint[]) => steps.map((point) => point.step);
const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('training runs on a real sshd with the real trainer', { timeout: 180_000 }, () => {
  it('exports, syncs, trains detached, streams the metrics and hands the pulled model to the registry', async () => {
    const console = await makeConsole();
    const streamed: RunMetricsEvent[] = [];
    const started = console.service.start({ kind: 'train', maxSteps: 6 });
    expect(started).toMatchObject({ state: 'queued', kind: 'train', hostId: 'loopback', modelId: null });
    const metricsStream = console.service.streams()['training.metrics'];
    const subscription = metricsStream({ id: started.id }, (event) => streamed.push(event));

    const done = await ended(console, started.id);
    subscription.dispose();
    expect(done.reason).toBeNull();
    expect(done).toMatchObject({ state: 'done', modelId: `model-${started.id}` });
    expect(done.dataset).toMatchObject({ labelled: 16 });
    expect(done.progress).toMatchObject({ step: 6, stepsTotal: 6 });
    expect(done.detail).toMatch(/^Done: validation accuracy/);

    // Every point once, as the box wrote it, and the same through the stream as in the store.
    const metrics = console.service.store.metrics(started.id);
    expect(stepNumbers(metrics.steps)).toEqual(oneToN(6));
    expect(await remoteSteps(done)).toEqual(oneToN(6));
    expect(metrics.epochs).toHaveLength(2); // three batches an epoch
    expect(stepNumbers(streamed.flatMap((event) => event.steps))).toEqual(oneToN(6));

    // The model came back whole and went to the registry.
    expect(console.registered.map((model) => model.runId)).toEqual([started.id]);
    const [model] = console.registered;
    expect(model!.onnx.equals(await readFile(join(done.remoteDir, 'model.onnx')))).toBe(true);
    expect(model!.manifest.training.dataHash).toMatch(/^sha256:/);
    // The registry keeps its own copy; the run's local folder holds neither the model nor the export.
    expect(spawnSync('find', [join(console.dir, 'training'), '-type', 'f'], { encoding: 'utf8' }).stdout).toBe('');

    const log = console.service.store.log(started.id, 500).join('\n');
    expect(log).toMatch(/Dataset → .*: 17 files sent/);
    expect(log).toMatch(/train\.py started in tmux session sv-/);
    expect(log).toMatch(/step 6\/6/); // the trainer's own stderr
  });

  it('a dropped link mid-run is retried: the run reattaches and holds every point once', async () => {
    const { host, gate } = await gatedPython();
    const console = await makeConsole({ host });
    const { id } = console.service.start({ kind: 'train', maxSteps: 8 });
    await eventually('two points', () => console.service.store.metrics(id).steps.length >= 2, RUN_WAIT);

    expect(await ssh.sshd.dropConnections()).toBeGreaterThan(0);
    await eventually(
      'the link to be seen down',
      () => console.service.store.log(id, 100).some((line) => /Link to .* lost/.test(line)),
      RUN_WAIT,
    );
    expect(run(console, id).state).toBe('running');
    await rm(gate);

    const done = await ended(console, id);
    expect(done.reason).toBeNull();
    expect(done.state).toBe('done');
    expect(stepNumbers(console.service.store.metrics(id).steps)).toEqual(oneToN(8));
    expect(await remoteSteps(done)).toEqual(oneToN(8));
    const log = console.service.store.log(id, 500).join('\n');
    expect(log).toMatch(/Link to .* is back: following from metrics line \d+/);
    // The same labelled cases: the dataset on the box was already there.
    expect(log).toMatch(/Dataset → .*: 0 files sent \(0\.0 MB\), 17 unchanged/);
  });

  it('a link dropped while the dataset is pushed is retried, and the run goes on', async () => {
    // An ssh that makes the first dataset push wait on the box, so the link can be cut under it.
    const dir = await tempDir();
    const marker = join(dir, 'first-push');
    const wrapper = join(dir, 'ssh');
    await writeFile(
      wrapper,
      [
        '#!/bin/bash',
        'args=("$@"); last="${args[-1]}"',
        `if [[ "$last" == *"tar -x"* && "$last" == *datasets* && ! -e '${marker}' ]]; then`,
        `  touch '${marker}'; args[-1]="sleep 30; $last"`,
        'fi',
        'exec /usr/bin/ssh "${args[@]}"',
        '',
      ].join('\n'),
    );
    await chmod(wrapper, 0o755);
    const client = new SshClient({ knownHostsPath: ssh.sshd.knownHostsPath, sshPath: wrapper });
    const console = await makeConsole({ client });
    // One image the other tests' datasets lack: a dataset of its own, so there is a push to cut.
    const { hash } = await console.hardCases.addImage((await renderStreetImage(99, 'none')).jpeg, importedSighting());
    console.hardCases.label([hash], 'none', 'test');
    const { id } = console.service.start({ kind: 'train', maxSteps: 2 });
    await eventually('the first push', () => existsSync(marker), RUN_WAIT);
    // Cut once the push's connection is up (sshd has a process for it): each try cuts what is there.
    await expect.poll(() => ssh.sshd.dropConnections(), { timeout: RUN_WAIT.timeoutMs }).toBeGreaterThan(0);
    const done = await ended(console, id);
    expect(done.reason).toBeNull();
    expect(done.state).toBe('done');
    expect(console.service.store.log(id, 500).join('\n')).toMatch(/Syncing the dataset failed \(.*\); again in \d+ s/);
  });

  it('a job that vanished mid-run (the box restarted) is started again from its checkpoint', async () => {
    const { host, gate } = await gatedPython();
    const console = await makeConsole({
      host,
      tuning: { extraTrainerArgs: [...TUNING.extraTrainerArgs!.slice(0, -2), '--checkpoint-every', '1'] },
    });
    const { id } = console.service.start({ kind: 'train', maxSteps: 8 });
    await eventually('two points', () => console.service.store.metrics(id).steps.length >= 2, RUN_WAIT);
    // As a reboot leaves it: the job and its trainer gone, no exit status written.
    const runDir = run(console, id).remoteDir;
    process.kill(Number(await readFile(join(runDir, 'job.pid'), 'utf8')), 'SIGKILL');
    process.kill(Number(await readFile(join(runDir, 'pid'), 'utf8')), 'SIGKILL');
    await eventually(
      'the restart',
      () => console.service.store.log(id, 200).some((line) => /starting it again/.test(line)),
      RUN_WAIT,
    );
    await rm(gate);

    const done = await ended(console, id);
    expect(done.reason).toBeNull();
    expect(done.state).toBe('done');
    const steps = stepNumbers(console.service.store.metrics(id).steps);
    expect(new Set(steps).size).toBe(steps.length);
    expect(steps.at(-1)).toBe(8);
    expect(await readFile(join(runDir, 'metrics.jsonl'), 'utf8')).toMatch(/"resumedFromStep": *[1-9]/);
  });

  it('keeps only the newest finished runs and their datasets on the box', async () => {
    const console = await makeConsole({ tuning: { keepFinishedRuns: 1 } });
    const first = await ended(console, console.service.start({ kind: 'train', maxSteps: 1 }).id);
    // One more label: the next run trains on a dataset of its own.
    const { hash } = await console.hardCases.addImage(
      (await renderStreetImage(77, 'roadwork')).jpeg,
      importedSighting(),
    );
    console.hardCases.label([hash], 'roadwork', 'test');
    const second = await ended(console, console.service.start({ kind: 'train', maxSteps: 1 }).id);
    expect([first.state, second.state]).toEqual(['done', 'done']);
    expect(first.dataset!.hash).not.toBe(second.dataset!.hash);

    // The run is done before the box is tidied: the log says when.
    await eventually(
      'the box tidied',
      () =>
        console.service.store
          .log(second.id, 50)
          .some((line) => /Removed 1 older run folders and 1 datasets/.test(line)),
      RUN_WAIT,
    );
    const datasets = join(ssh.sshd.host.workDir, 'datasets');
    expect(existsSync(first.remoteDir)).toBe(false);
    expect(existsSync(join(second.remoteDir, 'metrics.jsonl'))).toBe(true);
    // (Other tests' runs share this box: only this console's old dataset may go.)
    expect(existsSync(join(datasets, first.dataset!.hash!.slice(0, 16)))).toBe(false);
    expect(existsSync(join(datasets, second.dataset!.hash!.slice(0, 16)))).toBe(true);
  });

  it('a console restarted mid-run reattaches to the job on the box', async () => {
    const { host, gate } = await gatedPython();
    const console = await makeConsole({ host });
    const { id } = console.service.start({ kind: 'train', maxSteps: 8 });
    await eventually('two points', () => console.service.store.metrics(id).steps.length >= 2, RUN_WAIT);

    const service = await console.restart();
    await rm(gate);
    const done = await ended(console, id);
    expect(done).toMatchObject({ state: 'done', reason: null, modelId: `model-${id}` });
    expect(stepNumbers(service.store.metrics(id).steps)).toEqual(oneToN(8));
    expect(service.store.log(id, 500).join('\n')).toMatch(/Console started: reattaching/);
  });

  it('cancel: at once before the trainer runs; SIGTERM to a running trainer (nohup), which checkpoints', async () => {
    const { host, gate } = await gatedPython();
    const console = await makeConsole({ host, tuning: { detach: 'nohup' } });
    const early = console.service.start({ kind: 'train', maxSteps: 8 });
    expect(await console.service.cancel(early.id)).toMatchObject({
      state: 'cancelled',
      reason: 'Cancelled by the operator before the trainer started.',
    });

    const { id } = console.service.start({ kind: 'train', maxSteps: 8 });
    await eventually('two points', () => console.service.store.metrics(id).steps.length >= 2, RUN_WAIT);
    expect(run(console, id).remoteDir).toBeTruthy();
    const stopping = await console.service.cancel(id);
    expect(stopping.state).toBe('running');
    expect(stopping.detail).toMatch(/^Stopping/);
    await rm(gate);

    const cancelled = await ended(console, id);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.reason).toMatch(/^Cancelled by the operator; the trainer saved a checkpoint in /);
    expect((await stat(join(cancelled.remoteDir, 'checkpoint.pt'))).size).toBeGreaterThan(0);
    expect(await readFile(join(cancelled.remoteDir, 'exit-code'), 'utf8')).toBe('143\n');
    expect(console.service.store.log(id, 500).join('\n')).toMatch(/train\.py started with nohup/);
    expect(console.registered).toEqual([]);
  });

  it('a crashing trainer fails the run with its exit status and last log lines', async () => {
    const console = await makeConsole({ labels: 'roadwork' });
    const { id } = console.service.start({ kind: 'train', maxSteps: 4 });
    const failed = await ended(console, id);
    expect(failed.state).toBe('failed');
    expect(failed.reason).toMatch(
      /^train\.py failed with exit status 1: the training split .* holds only roadwork images: it needs both roadwork and none\. Last lines of its log: .*error: the training split/,
    );
  });

  it('no labelled data fails the run before anything is pushed', async () => {
    const console = await makeConsole({ labels: 'none' });
    const { id } = console.service.start({ kind: 'train' });
    const failed = await ended(console, id);
    expect(failed).toMatchObject({ state: 'failed', dataset: null });
    expect(failed.reason).toMatch(/^No labelled hard cases yet/);
    await expect(stat(failed.remoteDir)).rejects.toThrow(/ENOENT/);
  });

  it.skipIf(!canMountTmpfs())('a full remote disk fails the run with the reason', async () => {
    const small = join(ssh.sshd.dir, 'small-disk');
    await mkdir(small);
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', small]).status).toBe(0);
    try {
      const console = await makeConsole({ host: { ...ssh.sshd.host, workDir: small } });
      const { id } = console.service.start({ kind: 'train' });
      const failed = await ended(console, id);
      expect(failed.state).toBe('failed');
      expect(failed.reason).toMatch(/^The remote disk is full: could not write into .*small-disk\/datasets\//);
    } finally {
      spawnSync('umount', [small]);
    }
  });

  it('a synthetic job generates scenes on the box and brings them in as generated hard cases', async () => {
    const console = await makeConsole({ labels: 'none' });
    const { id } = console.service.start({ kind: 'synthetic', count: 4 });
    const done = await ended(console, id);
    expect(done).toMatchObject({ state: 'done', reason: null, kind: 'synthetic', imported: 4 });
    expect(done.progress).toMatchObject({ step: 4, stepsTotal: 4 });
    expect(console.hardCases.counts()).toMatchObject({ roadwork: 2, none: 2, unlabelled: 0 });
    expect(console.hardCases.list(10).map((c) => c.source)).toEqual(Array(4).fill('generated'));
  });

  it('a synthetic job cancelled part way brings in the scenes made before the stop', async () => {
    const { host, gate } = await gatedPython('progress', 'done', 3);
    const console = await makeConsole({ host, labels: 'none' });
    const { id } = console.service.start({ kind: 'synthetic', count: 8 });
    await eventually('two scenes', () => (run(console, id).progress?.step ?? 0) >= 2, RUN_WAIT);
    await console.service.cancel(id);
    await rm(gate);
    const cancelled = await ended(console, id);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.imported).toBeGreaterThanOrEqual(2);
    expect(cancelled.imported).toBeLessThan(8);
    expect(cancelled.reason).toMatch(/^Cancelled by the operator; imported \d+ generated images/);
    const made = console.hardCases.list(10);
    expect(made).toHaveLength(cancelled.imported!);
    expect(made.every((scene) => scene.source === 'generated' && scene.label !== 'unlabelled')).toBe(true);
  });

  it('a key the box does not accept fails the run with what to do', async () => {
    const key = join(await tempDir(), 'stranger_key');
    expect(spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]).status).toBe(0);
    const console = await makeConsole({ host: { ...ssh.sshd.host, keyFile: key } });
    const failed = await ended(console, console.service.start({ kind: 'train' }).id);
    expect(failed.state).toBe('failed');
    expect(failed.reason).toMatch(/refused the key .*stranger_key \(permission denied\): add the matching public key/);
  });

  // Last: the host key changes for the rest of the file.
  it('an unknown host key asks for approval in Settings; a changed one is refused', async () => {
    const emptyKnownHosts = join(await tempDir(), 'known_hosts');
    await writeFile(emptyKnownHosts, '');
    const stranger = await makeConsole({ client: new SshClient({ knownHostsPath: emptyKnownHosts }) });
    const unknown = await ended(stranger, stranger.service.start({ kind: 'train' }).id);
    expect(unknown.state).toBe('failed');
    expect(unknown.reason).toMatch(/does not trust .* host key yet.*\(Settings → Trainer hosts → loopback sshd\)$/);

    await ssh.sshd.restartWithNewHostKey();
    const console = await makeConsole();
    const { id } = console.service.start({ kind: 'train' });
    const refused = await ended(console, id);
    expect(refused.state).toBe('failed');
    expect(refused.reason).toMatch(/host key .* changed/i);
    await expect(stat(refused.remoteDir)).rejects.toThrow(/ENOENT/);
  });
});
