import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHubStandIn, sha256, type HubStandIn } from '../../tests/hf-hub-stand-in.js';
import { useTempDirs } from '../../tests/temp-dir.js';
import { SHIPPED_MODEL_DIR } from '../models/model-fixtures.js';
import { HubClient } from './hub-client.js';
import { uploadToHub } from './hub-upload.js';
import { ResumeState } from './resume-state.js';

const tempDir = useTempDirs();
let standIn: HubStandIn | null = null;
afterEach(async () => {
  await standIn?.close();
  standIn = null;
});

describe('uploadToHub', () => {
  it('resumes from its state on disk after an upload that gave up: parts the Hub holds are not sent again', async () => {
    standIn = await startHubStandIn({ multipartThreshold: 512 * 1024, chunkSize: 256 * 1024 });
    const stateDir = await tempDir();
    const files = [{ path: 'model.onnx', content: await readFile(join(SHIPPED_MODEL_DIR, 'model.onnx')) }];
    const attempt = async (attempts: number): Promise<unknown> =>
      uploadToHub({
        client: new HubClient(standIn!.url, standIn!.token),
        repo: 'operator/resume',
        files,
        summary: 'test',
        // Opened afresh each time, as after a restart of the console.
        resume: await ResumeState.open(stateDir, 'operator/resume'),
        onProgress: () => undefined,
        attempts,
      });
    // The fifth part is cut and the first try gives up.
    standIn.dropNextUploadAfter(50_000, 4);
    await expect(attempt(1)).rejects.toThrow(/cut/);
    const progress: number[] = [];
    await uploadToHub({
      client: new HubClient(standIn.url, standIn.token),
      repo: 'operator/resume',
      files,
      summary: 'test',
      resume: await ResumeState.open(stateDir, 'operator/resume'),
      onProgress: (event) => progress.push(event.resumedBytes),
      attempts: 1,
    });
    expect(progress.at(-1)).toBe(4 * 256 * 1024);
    const whole = standIn.uploads.filter((upload) => upload.complete).map((upload) => upload.part);
    expect(whole.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(sha256(standIn.repos.get('operator/resume')!.files.get('model.onnx')!)).toBe(sha256(files[0]!.content));
  });
});
