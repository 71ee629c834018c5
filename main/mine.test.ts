import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { describe, expect, it } from 'vitest';
import { freePort } from '../tests/free-port.js';
import { useTempDirs } from '../tests/temp-dir.js';
import { signaturesReady } from './miner/signature.js';
import { renderStreetImage } from './scenes/generate.js';
import { buildDendriteRequest } from './subnet/dendrite.js';

const tempDir = useTempDirs();
const MINE = join(import.meta.dirname, 'mine.ts');

function run(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', MINE, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exit, stdout: () => stdout, stderr: () => stderr };
}

describe('npm run mine', { timeout: 60_000 }, () => {
  it('mines with no UI, answers a validator, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const miner = run(['--network', 'local', '--axon.port', String(port), '--data-dir', await tempDir()]);
    await expect
      .poll(() => miner.stdout(), { timeout: 30_000 })
      .toMatch(/Mining on the local network as (5\w+), axon on port/);
    const hotkey = /as (5\w+),/.exec(miner.stdout())![1]!;

    await signaturesReady();
    const alice = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice');
    const image = (await renderStreetImage(2, 'none', 0)).jpeg.toString('base64');
    const request = buildDendriteRequest(
      alice,
      { ip: '127.0.0.1', port, hotkey },
      {
        synapseName: 'ImageSynapse',
        fields: { image, prediction: -1.0, testnet_label: -1 },
      },
    );
    const reply = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
    expect(reply.status).toBe(200);

    miner.child.kill('SIGTERM');
    expect(await miner.exit).toBe(0);
    expect(miner.stdout()).toMatch(/Mining stopped/);
  });

  it('says why it cannot mine, and exits non-zero', async () => {
    const finney = run([
      '--network',
      'finney',
      '--netuid',
      '72',
      '--axon.port',
      String(await freePort()),
      '--data-dir',
      await tempDir(),
    ]);
    expect(await finney.exit).toBe(1);
    expect(finney.stderr()).toMatch(/Mining could not start: .*needs the chain connection/);
    const bad = run(['--axon.port', 'eighty']);
    expect(await bad.exit).toBe(2);
    expect(bad.stderr()).toMatch(/--axon\.port must be a whole number/);
  });
});
