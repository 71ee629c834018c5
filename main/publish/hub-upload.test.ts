import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHubStandIn, sha256, type HubStandIn } from '../../tests/hf-hub-stand-in.js';
import { SHIPPED_MODEL_DIR } from '../models/model-fixtures.js';
import { HubClient, HubError } from './hub-client.js';
import { uploadToHub, type FileToUpload, type UploadOptions } from './hub-upload.js';

let standIn: HubStandIn | null = null;
afterEach(async () => {
  await standIn?.close();
  standIn = null;
});

async function modelFiles(): Promise<FileToUpload[]> {
  return [
    { path: 'model.onnx', content: await readFile(join(SHIPPED_MODEL_DIR, 'model.onnx')) },
    { path: 'model.json', content: Buffer.from('{"name":"default"}\n') },
  ];
}

function upload(hub: HubStandIn, files: FileToUpload[], options: Partial<UploadOptions> = {}) {
  return uploadToHub({
    client: new HubClient(hub.url, hub.token),
    repo: 'operator/resume',
    files,
    summary: 'test',
    onProgress: () => undefined,
    retryDelayMs: 10,
    ...options,
  });
}

describe('uploadToHub', () => {
  it('started again after it gave up, does not send the model the Hub already holds', async () => {
    standIn = await startHubStandIn({ multipartThreshold: 512 * 1024, chunkSize: 256 * 1024 });
    const files = await modelFiles();
    // The weights arrive whole, then the Hub is overloaded at the commit and the only try gives up.
    standIn.refuseNextCommit(503);
    const failure = await upload(standIn, files, { attempts: 1 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HubError);
    expect((failure as HubError).retryable).toBe(true);
    expect(standIn.repos.get('operator/resume')!.files.size).toBe(0);
    const sent = standIn.uploads.length;

    const progress: { step: string; resumedBytes: number; sentBytes: number; totalBytes: number }[] = [];
    await upload(standIn, files, { attempts: 1, onProgress: (event) => progress.push(event) });
    expect(standIn.uploads.length).toBe(sent);
    expect(progress.map((event) => event.step)).toContain('model.onnx is on the Hub already');
    expect(progress.at(-1)).toMatchObject({ step: 'Published.', resumedBytes: files[0]!.content.length });
    expect(progress.at(-1)!.sentBytes).toBe(progress.at(-1)!.totalBytes);
    const repo = standIn.repos.get('operator/resume')!;
    expect(sha256(repo.files.get('model.onnx')!)).toBe(sha256(files[0]!.content));
    expect(repo.files.get('model.json')!.toString()).toBe('{"name":"default"}\n');
  });

  it('sends every part again under a new multipart upload after a dropped link, and the model arrives whole', async () => {
    standIn = await startHubStandIn({ multipartThreshold: 512 * 1024, chunkSize: 256 * 1024 });
    const files = await modelFiles();
    standIn.dropNextUploadAfter(50_000, 2);
    const steps: string[] = [];
    await upload(standIn, files, { onProgress: (event) => steps.push(event.step) });
    expect(steps.some((step) => /^The link to .* dropped: .*; resuming, try 2 of 5…$/.test(step))).toBe(true);
    // The cut part (and any the library stopped with it) did not arrive; all seven did on the second try.
    const parts = standIn.uploads.filter((entry) => entry.kind === 'part');
    expect(parts.filter((entry) => !entry.complete).length).toBeGreaterThanOrEqual(1);
    expect(parts.filter((entry) => entry.complete).length).toBeGreaterThanOrEqual(7);
    const onnx = standIn.repos.get('operator/resume')!.files.get('model.onnx')!;
    expect(sha256(onnx)).toBe(sha256(files[0]!.content));
  });

  it('ends at once when aborted while it waits to try again', async () => {
    standIn = await startHubStandIn({ multipartThreshold: 512 * 1024, chunkSize: 256 * 1024 });
    const controller = new AbortController();
    standIn.dropNextUploadAfter(50_000);
    // Ten minutes before the second try: only the abort can end this within the test's time.
    const ended = upload(standIn, await modelFiles(), {
      retryDelayMs: 600_000,
      signal: controller.signal,
      onProgress: (event) => {
        if (event.step.includes('resuming')) queueMicrotask(() => controller.abort());
      },
    });
    expect(await ended.catch((error: unknown) => (error as Error).name)).toBe('AbortError');
    expect(standIn.repos.get('operator/resume')!.commits).toEqual([]);
  });

  it('keeps the token out of a refusal', async () => {
    standIn = await startHubStandIn();
    const wrong = 'hf_wrongTokenThatTheHubRefuses42';
    const failure = await uploadToHub({
      client: new HubClient(standIn.url, wrong),
      repo: 'operator/resume',
      files: await modelFiles(),
      summary: 'test',
      onProgress: () => undefined,
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HubError);
    expect((failure as HubError).message).toMatch(
      /^The Hub refused \/api\/repos\/create \(401 .*\): Invalid credentials/,
    );
    expect((failure as HubError).message).not.toContain(wrong);
  });
});
