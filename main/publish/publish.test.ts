import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { signatureVerify } from '@polkadot/util-crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Host } from '../host.js';
import { ModelCardSchema, type PublishProgress, type RegistrationStatus } from '../../shared/domain/publish.js';
import { startHubStandIn, sha256, type HubStandIn } from '../../tests/hf-hub-stand-in.js';
import { startNatixStandIn, type NatixStandIn } from '../../tests/natix-stand-in.js';
import { useTestHosts } from '../../tests/test-host.js';
import { SHIPPED_MODEL_DIR } from '../models/model-fixtures.js';

const testHost = useTestHosts();
const stopping: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stopping.splice(0)) await stop();
});

async function hub(): Promise<HubStandIn> {
  // The shipped ONNX (1.6 MB) goes up in 256 KiB parts.
  const standIn = await startHubStandIn({ multipartThreshold: 512 * 1024, chunkSize: 256 * 1024 });
  stopping.push(() => standIn.close());
  return standIn;
}

async function publishingHost(standIn: HubStandIn, natix?: NatixStandIn): Promise<Host> {
  const host = await testHost({
    publishPace: { uploadRetryDelayMs: 10, natixPoll: { intervalMs: 20, timeoutMs: 5000 } },
  });
  const updated = await host.endpoint.invoke('settings.update', {
    publish: { hfEndpoint: standIn.url, ...(natix ? { natixServer: natix.url } : {}) },
  });
  expect(updated.ok).toBe(true);
  return host;
}

/** Resolves with the first event of a stream that passes `done`. */
function until<T>(
  host: Host,
  name: 'publish.progress' | 'publish.registration',
  done: (event: T) => boolean,
): Promise<T> {
  return new Promise((resolve) => {
    const subscription = host.api.streams[name]({}, (event) => {
      if (done(event as T)) {
        queueMicrotask(() => subscription.dispose());
        resolve(event as T);
      }
    });
  });
}

describe('publishing a model to the Hugging Face Hub', () => {
  it('uploads the model folder with its card, trying again after a dropped link', async () => {
    const standIn = await hub();
    const host = await publishingHost(standIn);
    expect((await host.endpoint.invoke('publish.setToken', { token: standIn.token })).ok).toBe(true);
    // The link drops in the middle of the third part.
    standIn.dropNextUploadAfter(100_000, 2);

    const started = await host.endpoint.invoke('publish.upload', {
      modelId: 'default-1.0.0',
      repo: 'operator/roadwork-miner',
    });
    expect(started.ok).toBe(true);
    const end = await until<PublishProgress>(
      host,
      'publish.progress',
      (event) => event.state === 'done' || event.state === 'failed',
    );
    expect(end.error).toBeNull();
    expect(end.state).toBe('done');
    expect(end.sentBytes).toBe(end.totalBytes);
    expect(end.url).toBe(`${standIn.url}/operator/roadwork-miner`);

    const repo = standIn.repos.get('operator/roadwork-miner')!;
    const onnx = await readFile(join(SHIPPED_MODEL_DIR, 'model.onnx'));
    expect(sha256(repo.files.get('model.onnx')!)).toBe(sha256(onnx));
    expect([...repo.files.keys()].sort()).toEqual(['README.md', 'model.json', 'model.onnx', 'model_card.json']);
    const card = ModelCardSchema.parse(JSON.parse(repo.files.get('model_card.json')!.toString('utf8')));
    expect(card.version).toBe('1.0.0');
    expect(Math.abs(card.submission_time - Date.now() / 1000)).toBeLessThan(600);
    const readme = repo.files.get('README.md')!.toString('utf8');
    expect(readme).toMatch(/^---\nlibrary_name: onnx\npipeline_tag: image-classification\n/);
    expect(readme).toContain('sha256:');

    // A part was cut; the second try sent all seven again under a new multipart upload (the Hub's way).
    const parts = standIn.uploads.filter((upload) => upload.kind === 'part');
    expect(parts.filter((upload) => !upload.complete).length).toBeGreaterThanOrEqual(1);
    expect(new Set(parts.filter((upload) => upload.complete).map((upload) => upload.part))).toEqual(
      new Set([1, 2, 3, 4, 5, 6, 7]),
    );

    // The registry knows where and when: the 45/90-day clock runs from now.
    const model = await host.endpoint.invoke('models.get', { id: 'default-1.0.0' });
    expect(model.ok && model.value).toMatchObject({
      publishedRepo: 'operator/roadwork-miner',
      age: { daysSincePublication: 0 },
    });
  });

  it('keeps the token out of the log, the settings, every reply and every error', async () => {
    const standIn = await hub();
    const host = await publishingHost(standIn);
    const wrong = 'hf_wrongTokenThatTheHubRefuses42';
    const refused = await host.endpoint.invoke('publish.setToken', { token: wrong });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toMatch(/refused.*401/);

    const set = await host.endpoint.invoke('publish.setToken', { token: standIn.token });
    expect(set.ok && set.value).toEqual({ set: true, user: 'operator', note: null, storage: 'file' });
    const status = await host.endpoint.invoke('publish.tokenStatus', {});
    // A whole publication goes through the log too.
    await host.endpoint.invoke('publish.upload', { modelId: 'default-1.0.0', repo: 'operator/roadwork-miner' });
    await until<PublishProgress>(
      host,
      'publish.progress',
      (event) => event.state === 'done' || event.state === 'failed',
    );
    const card = await host.endpoint.invoke('publish.modelCard', { modelId: 'default-1.0.0' });
    const { dataDir } = await host.api.commands['app.info']({});
    const settings = await readFile(join(dataDir, 'settings.json'), 'utf8');
    // The log file is appended asynchronously.
    const logPath = join(dataDir, 'logs', 'console.log');
    await expect.poll(() => readFile(logPath, 'utf8').catch(() => '')).toMatch(/Published default-1\.0\.0/);
    const log = await readFile(logPath, 'utf8');
    expect(log).toContain('Hugging Face token kept');
    for (const text of [log, settings, JSON.stringify([refused, set, status, card])]) {
      expect(text).not.toContain(standIn.token);
      expect(text).not.toContain(wrong);
    }
    const secret = join(dataDir, 'secrets', 'huggingface-token');
    expect((await stat(secret)).mode & 0o777).toBe(0o600);
  });
});

describe('registering with NATIX', () => {
  it("signs the timestamp with the hotkey and sends register.sh's request, then follows pending to succeeded", async () => {
    const standIn = await hub();
    const natix = await startNatixStandIn({ pendingPolls: 1 });
    stopping.push(() => natix.close());
    const host = await publishingHost(standIn, natix);
    const answered = await host.endpoint.invoke('publish.register', { modelRepo: 'operator/roadwork-miner', uid: 7 });
    expect(answered.ok && answered.value).toMatchObject({ state: 'pending', uid: 7, rehearsal: true });
    const end = await until<RegistrationStatus>(host, 'publish.registration', (event) => event.state === 'succeeded');
    expect(end.message).toMatch(/^Rehearsal \(local hotkey\): Registered with NATIX/);

    expect(natix.registrations).toHaveLength(1);
    const body = natix.registrations[0]!;
    expect(Object.keys(body).sort()).toEqual([
      'message',
      'model_repo',
      'natix_public_key',
      'natix_signature',
      'type',
      'uid',
    ]);
    expect(Object.values(body).every((value) => typeof value === 'string')).toBe(true);
    expect(body).toMatchObject({
      uid: '7',
      type: 'miner',
      model_repo: 'operator/roadwork-miner',
      natix_public_key: end.hotkey,
    });
    const message = body.message as string;
    expect(message).toMatch(/^\d{10}$/);
    expect(Math.abs(Number(message) - Date.now() / 1000)).toBeLessThan(60);
    const signature = body.natix_signature as string;
    expect(signature).toMatch(/^[0-9a-f]{128}$/);
    expect(signatureVerify(message, `0x${signature}`, body.natix_public_key as string).isValid).toBe(true);
    expect(signatureVerify(`${message}1`, `0x${signature}`, body.natix_public_key as string).isValid).toBe(false);
  });
});
