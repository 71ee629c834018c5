import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StreamSources } from '../../shared/contract.js';
import type { ModelImport } from '../../shared/domain/model-import.js';
import { ModelManifestSchema } from '../../shared/domain/model-manifest.js';
import type { Host } from '../host.js';
import { LogService } from '../log/log-service.js';
import { startHubStandIn, type HubStandIn } from '../../tests/hf-hub-stand-in.js';
import { useSshd } from '../../tests/ssh-suite.js';
import { useTempDirs } from '../../tests/temp-dir.js';
import { useTestHosts } from '../../tests/test-host.js';
import { FAKE_HF_EMBEDDING, writeFakeTransformers } from '../../tests/trainer-fixture.js';
import { HfImportService, type HfImportDependencies } from './hf-import.js';

const REPO = 'natix-network-org/roadwork';
const COMMIT = '0'.repeat(40);
const TRAINER_DIR = join(import.meta.dirname, '..', '..', 'resources', 'trainer');
const tempDir = useTempDirs();
const testHost = useTestHosts();
const ssh = useSshd();
let hub: HubStandIn;
/** Debian's Python with the stand-in `transformers` package (tests/trainer-fixture.ts) on its path. */
let python: string;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sv-hf-python-'));
  const site = await writeFakeTransformers(join(dir, 'site'));
  python = join(dir, 'python3');
  await writeFile(python, `#!/bin/sh\nPYTHONPATH=${site} exec /usr/bin/python3 "$@"\n`);
  await chmod(python, 0o755);
});
beforeEach(async () => {
  hub = await startHubStandIn();
});
afterEach(() => hub.close());

/** A small image classifier on the Hub: config with its labels, processor, weights (LFS). */
function addClassifier(labels: Record<number, string> = { 0: 'None', 1: 'Roadwork' }): void {
  hub.addRepo(REPO, {
    'config.json': JSON.stringify({ architectures: ['ViTForImageClassification'], id2label: labels }),
    'preprocessor_config.json': JSON.stringify({ image_mean: [0.5, 0.5, 0.5], image_std: [0.5, 0.5, 0.5] }),
    'model.safetensors': randomBytes(64 * 1024),
  });
}

/** The import's end, as the progress stream tells it. */
function finished(progress: StreamSources<'models.importProgress'>['models.importProgress']) {
  return new Promise<ModelImport>((resolve) => {
    const subscription = progress({}, (state) => {
      if (state && ['done', 'failed', 'cancelled'].includes(state.phase)) {
        queueMicrotask(() => subscription.dispose());
        resolve(state);
      }
    });
  });
}

async function service(overrides: Partial<HfImportDependencies> & Pick<HfImportDependencies, 'models'>) {
  return new HfImportService({
    hosts: { resolve: () => ssh.sshd.host, ssh: ssh.client },
    endpoint: () => hub.url,
    trainerDir: TRAINER_DIR,
    dataDir: await tempDir(),
    log: new LogService({ filePath: null }).forSource('models'),
    localPython: python,
    retryDelaysMs: [10],
    ...overrides,
  });
}

/** The registered model runs in onnxruntime with the manifest's input, and answers two scores. */
async function expectRuns(host: Host, modelId: string): Promise<void> {
  const model = host.models.get(modelId);
  const manifest = ModelManifestSchema.parse(JSON.parse(await readFile(join(model.dir, 'model.json'), 'utf8')));
  const session = await ort.InferenceSession.create(join(model.dir, manifest.file));
  const { width, height } = manifest.input;
  const input = new ort.Tensor('float32', new Float32Array(3 * width * height), [1, 3, height, width]);
  const result = await session.run({ [manifest.input.name]: input });
  expect(result[manifest.outputs.logits]!.dims).toEqual([1, 2]);
  expect(result[manifest.outputs.embedding!]!.dims).toEqual([1, FAKE_HF_EMBEDDING]);
  await session.release();
}

describe('importing a Hugging Face classifier', { timeout: 120_000 }, () => {
  it('downloads the base model, converts it here and registers it, through the API', async () => {
    addClassifier();
    const saved = process.env.STREETVISION_PYTHON;
    process.env.STREETVISION_PYTHON = python;
    try {
      const host = await testHost();
      await host.endpoint.invoke('settings.update', { publish: { hfEndpoint: hub.url } });
      const done = finished(host.api.streams['models.importProgress']);
      const started = await host.endpoint.invoke('models.importHf', { repo: REPO, where: 'local' });
      expect(started.ok && (started.value as ModelImport).phase).toBe('downloading');
      const result = await done;
      expect(result, result.detail).toMatchObject({
        phase: 'done',
        source: { kind: 'hub', repo: REPO, revision: 'main', commit: COMMIT },
        where: 'local',
      });
      expect(result.bytesDone).toBe(result.bytesTotal);

      const model = host.models.get(result.modelId!);
      // The origin and the architecture name the repository (and its commit).
      expect(model.origin.kind).toBe('imported');
      expect(model.origin.kind === 'imported' && model.origin.dir).toContain('natix-network-org--roadwork');
      expect(model.architecture).toBe(`hf:${REPO}@${COMMIT}`);
      const manifest = ModelManifestSchema.parse(JSON.parse(await readFile(join(model.dir, 'model.json'), 'utf8')));
      // The repository's None/Roadwork in the console's words; the processor's size, mean and std.
      expect(manifest).toMatchObject({
        name: 'roadwork',
        labels: ['none', 'roadwork'],
        positiveLabel: 'roadwork',
        input: { width: 64, height: 64, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
        training: { steps: 0, images: { train: 0, val: 0 } },
      });
      await expectRuns(host, model.id);
    } finally {
      if (saved === undefined) delete process.env.STREETVISION_PYTHON;
      else process.env.STREETVISION_PYTHON = saved;
    }
  });

  it('refuses a classifier none of whose labels says roadwork, and registers nothing', async () => {
    addClassifier({ 0: 'cat', 1: 'dog', 2: 'no roadwork' });
    const imported: string[] = [];
    const importer = await service({ models: { import: (dir) => (imported.push(dir), Promise.reject(new Error())) } });
    const done = finished(importer.streams()['models.importProgress']);
    importer.start({ repo: REPO, revision: 'main', where: 'local' });
    const result = await done;
    expect(result.phase).toBe('failed');
    expect(result.detail).toMatch(
      /^The conversion on this machine failed: no label of .* looks like roadwork \(cat, dog, no roadwork\)/,
    );
    expect(imported).toEqual([]);
  });

  it('converts on the trainer box over ssh and brings the model back', async () => {
    addClassifier();
    const host = await testHost();
    const workDir = await tempDir();
    const box = { ...ssh.sshd.host, python, workDir };
    const importer = await service({ models: host.models, hosts: { resolve: () => box, ssh: ssh.client } });
    const done = finished(importer.streams()['models.importProgress']);
    expect(importer.start({ repo: REPO, revision: 'main', where: 'trainer' }).hostId).toBe(box.id);
    const result = await done;
    expect(result, result.detail).toMatchObject({ phase: 'done', where: 'trainer', hostId: box.id });
    await expectRuns(host, result.modelId!);
    // The repository's files stay on the box for fine-tuning (`hf:<folder>`); the conversion's output does not.
    expect((await readdir(join(workDir, 'hf-models', `natix-network-org--roadwork--${COMMIT}`))).sort()).toEqual([
      'config.json',
      'model.safetensors',
      'preprocessor_config.json',
    ]);
    expect(await readdir(join(workDir, 'imports'))).toEqual([]);
  });
});
