import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256, startHubStandIn, type HubStandIn } from '../../tests/hf-hub-stand-in.js';
import { useTempDirs } from '../../tests/temp-dir.js';
import { downloadHfRepo, type HfDownloadProgress } from './hf-download.js';

const tempDir = useTempDirs();
const REPO = 'natix-network-org/roadwork';
let hub: HubStandIn;

beforeEach(async () => {
  hub = await startHubStandIn();
});
afterEach(() => hub.close());

/** A classifier's files as the Hub holds them; the weights are LFS (by extension). */
function classifierFiles(weightBytes = 256 * 1024): Record<string, Buffer> {
  return {
    'config.json': Buffer.from(JSON.stringify({ id2label: { 0: 'None', 1: 'Roadwork' } })),
    'preprocessor_config.json': Buffer.from(JSON.stringify({ image_mean: [0.5, 0.5, 0.5], size: { height: 224 } })),
    'README.md': Buffer.from('# roadwork\n'),
    'model.safetensors': randomBytes(weightBytes),
    '.gitattributes': Buffer.from('*.safetensors filter=lfs\n'),
  };
}

function download(root: string, options: { retryDelaysMs?: number[]; onProgress?: (p: HfDownloadProgress) => void }) {
  return downloadHfRepo({ endpoint: hub.url, repo: REPO, revision: 'main', root, ...options });
}

describe('downloading a Hugging Face repository', () => {
  it('resumes a file whose connection dropped with a Range request, and keeps only whole, checked files', async () => {
    const files = classifierFiles();
    hub.addRepo(REPO, files);
    const root = await tempDir();
    hub.dropNextDownloadAfter(100_000, 'model.safetensors');
    const progress: HfDownloadProgress[] = [];
    const result = await download(root, { retryDelaysMs: [10], onProgress: (p) => progress.push(p) });

    expect(result.dir).toBe(join(root, 'natix-network-org--roadwork', '0'.repeat(40)));
    // The weights came in two requests, the second from where the first was cut: at most the
    // 100 000 bytes the Hub sent (a cut connection may lose what was still in flight), never 0.
    const requests = hub.downloads.filter((d) => d.file === 'model.safetensors');
    expect(requests.map((d) => d.from > 0)).toEqual([false, true]);
    expect(requests[1]!.from).toBeLessThanOrEqual(100_000);
    expect(sha256(await readFile(join(result.dir, 'model.safetensors')))).toBe(sha256(files['model.safetensors']!));
    // What a conversion needs, nothing else (.gitattributes stays on the Hub).
    expect((await readdir(result.dir)).sort()).toEqual([
      'README.md',
      'config.json',
      'model.safetensors',
      'preprocessor_config.json',
    ]);
    const total = ['config.json', 'preprocessor_config.json', 'README.md', 'model.safetensors']
      .map((name) => files[name]!.length)
      .reduce((a, b) => a + b);
    expect(progress.at(-1)).toEqual({ file: 'model.safetensors', bytesDone: total, bytesTotal: total });
  });

  it('picks up where a download that gave up left off, and does not fetch whole files again', async () => {
    const files = classifierFiles();
    hub.addRepo(REPO, files);
    const root = await tempDir();
    hub.dropNextDownloadAfter(64_000, 'model.safetensors');
    await expect(download(root, { retryDelaysMs: [] })).rejects.toThrow(
      /model\.safetensors kept dropping .*import again to resume/,
    );
    const before = hub.downloads.length;
    const result = await download(root, { retryDelaysMs: [] });
    expect(hub.downloads.slice(before)).toEqual([{ file: 'model.safetensors', from: 64_000 }]);
    expect(sha256(await readFile(join(result.dir, 'model.safetensors')))).toBe(sha256(files['model.safetensors']!));
  });

  it('ends at once when aborted while it waits to try again, keeping what arrived for the next download', async () => {
    const files = classifierFiles();
    hub.addRepo(REPO, files);
    const root = await tempDir();
    hub.dropNextDownloadAfter(100_000, 'model.safetensors');
    const controller = new AbortController();
    const retries: string[] = [];
    // Ten minutes before the next try: only the abort can end this within the test's time.
    const stopped = downloadHfRepo({
      endpoint: hub.url,
      repo: REPO,
      revision: 'main',
      root,
      retryDelaysMs: [600_000],
      signal: controller.signal,
      onRetry: (file, reason) => {
        retries.push(`${file}: ${reason}`);
        // Once the wait has begun.
        queueMicrotask(() => controller.abort());
      },
    });
    expect(await stopped.catch((error: unknown) => (error as Error).name)).toBe('AbortError');
    expect(retries).toEqual([expect.stringMatching(/^model\.safetensors: /)]);

    const result = await download(root, { retryDelaysMs: [] });
    expect(hub.downloads.filter((d) => d.file === 'model.safetensors')).toEqual([
      { file: 'model.safetensors', from: 0 },
      { file: 'model.safetensors', from: 100_000 },
    ]);
    expect(sha256(await readFile(join(result.dir, 'model.safetensors')))).toBe(sha256(files['model.safetensors']!));
  });

  it('refuses a file whose size or SHA-256 is not what the Hub lists, and keeps none of it', async () => {
    const files = classifierFiles(4096);
    hub.addRepo(REPO, files);
    const root = await tempDir();
    hub.serveInstead(REPO, 'model.safetensors', files['model.safetensors']!.subarray(0, 4000));
    await expect(download(root, {})).rejects.toThrow(
      'model.safetensors is 4000 bytes on the server, not the 4096 the Hub lists: refused.',
    );

    const flipped = Buffer.from(files['model.safetensors']!);
    flipped[10] = flipped[10]! ^ 0xff;
    hub.serveInstead(REPO, 'model.safetensors', flipped);
    await expect(download(root, {})).rejects.toThrow(
      /^model\.safetensors does not match the SHA-256 [0-9a-f]{64} the Hub lists: refused\.$/,
    );
    const dir = join(root, 'natix-network-org--roadwork', '0'.repeat(40));
    expect(await readdir(dir)).not.toContain('model.safetensors');
    expect(await readdir(join(root, '.partial', 'natix-network-org--roadwork', '0'.repeat(40)))).toEqual([]);
  });

  it('says what a repository lacks, and when it does not exist', async () => {
    hub.addRepo('someone/text-model', { 'config.json': '{}', 'tokenizer.json': '{}' });
    const root = await tempDir();
    await expect(
      downloadHfRepo({ endpoint: hub.url, repo: 'someone/text-model', revision: 'main', root }),
    ).rejects.toThrow(
      'someone/text-model@main is not an image classifier the console can import: it has no preprocessor_config.json, model.safetensors or pytorch_model.bin (it holds config.json, tokenizer.json).',
    );
    await expect(downloadHfRepo({ endpoint: hub.url, repo: 'someone/absent', revision: 'main', root })).rejects.toThrow(
      `${hub.url} has no repository someone/absent at revision main.`,
    );
  });
});
