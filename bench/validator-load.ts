/**
 * The validators' side of the axon benchmark, in a process of its own as real validators are:
 * signs requests as the development validators, sends them over keep-alive connections (as the
 * Python dendrite's aiohttp session does), and prints the timings as JSON on stdout.
 * Usage: tsx bench/validator-load.ts PORT MINER_HOTKEY
 */
import { Agent, request as httpRequest } from 'node:http';
import { Keyring } from '@polkadot/keyring';
import { DEV_VALIDATOR_URIS } from '../main/bittensor/dev-accounts.js';
import { IMAGE_SYNAPSE } from '../main/miner/image-synapse.js';
import { signaturesReady } from '../main/bittensor/signature.js';
import { renderStreetImage } from '../main/scenes/generate.js';
import { buildDendriteRequest } from '../main/bittensor/dendrite.js';
import { errorMessage } from '../shared/errors.js';

export interface LoadResult {
  sequentialMs: number[];
  throughput: Record<string, { perSecond: number; errors: number }>;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function post(url: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function main(): Promise<void> {
  const [port, minerHotkey] = process.argv.slice(2);
  await signaturesReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const validators = DEV_VALIDATOR_URIS.map((uri) => keyring.addFromUri(uri));
  const image = (await renderStreetImage(5, 'roadwork', 0)).jpeg.toString('base64');
  let counter = 0;
  const one = async (): Promise<{ ms: number; ok: boolean }> => {
    // Signed before the clock starts: signing is the validator's cost, not the axon's.
    const request = buildDendriteRequest(
      validators[counter++ % validators.length]!,
      { ip: '127.0.0.1', port: Number(port), hotkey: minerHotkey! },
      { synapseName: IMAGE_SYNAPSE, fields: { image, prediction: -1.0, testnet_label: -1 } },
    );
    const began = performance.now();
    const status = await post(request.url, request.headers, request.body);
    return { ms: performance.now() - began, ok: status === 200 };
  };

  for (let i = 0; i < 20; i++) await one();
  const sequentialMs: number[] = [];
  for (let i = 0; i < 200; i++) sequentialMs.push((await one()).ms);

  const throughput: LoadResult['throughput'] = {};
  for (const concurrency of [1, 8, 32]) {
    const total = concurrency * 20;
    let next = 0;
    let errors = 0;
    const began = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < total) if (!(await one()).ok) errors++;
      }),
    );
    throughput[`concurrency ${concurrency}`] = {
      perSecond: Number((total / ((performance.now() - began) / 1000)).toFixed(1)),
      errors,
    };
  }
  const result: LoadResult = { sequentialMs, throughput };
  process.stdout.write(JSON.stringify(result));
  agent.destroy();
}

main().catch((error: unknown) => {
  process.stderr.write(`validator load failed: ${errorMessage(error)}\n`);
  process.exit(1);
});
