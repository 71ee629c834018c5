import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { renderStreetImage } from '../scenes/generate.js';
import { OnnxClassifier } from '../inference/onnx-classifier.js';
import { imageToTensor } from '../inference/preprocess.js';
import { LogService } from '../log/log-service.js';
import { readModelDir } from '../models/model-dir.js';
import { buildDendriteRequest, type DendriteRequest } from '../subnet/dendrite.js';
import { startAxon, type Axon, type AxonPolicy, type AxonRecord } from './axon-server.js';
import { DEV_VALIDATOR_URIS } from './dev-accounts.js';
import { IMAGE_SYNAPSE, imageSynapseHandler, PRIOR_PREDICTION } from './image-synapse.js';
import { signaturesReady } from './signature.js';

let keyring: Keyring;
let miner: KeyringPair;
let validators: KeyringPair[];
let outsider: KeyringPair;
let classifier: OnnxClassifier;
let roadworkJpeg: string;

beforeAll(async () => {
  await signaturesReady();
  keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  miner = keyring.addFromUri('//Ferdie');
  validators = DEV_VALIDATOR_URIS.map((uri) => keyring.addFromUri(uri));
  outsider = keyring.addFromUri('//NotRegistered');
  classifier = await OnnxClassifier.load(
    await readModelDir(join(import.meta.dirname, '..', '..', 'resources', 'models', 'default')),
  );
  roadworkJpeg = (await renderStreetImage(7, 'roadwork', 0)).jpeg.toString('base64');
});

const axons: Axon[] = [];
afterEach(async () => {
  await Promise.all(axons.splice(0).map((axon) => axon.close()));
});

async function serve(): Promise<{ axon: Axon; log: LogService; records: AxonRecord[] }> {
  const log = new LogService({ filePath: null });
  const records: AxonRecord[] = [];
  const policy: AxonPolicy = {
    standing: (hotkey) => {
      const index = validators.findIndex((v) => v.address === hotkey);
      if (index >= 0) return { uid: index, validatorPermit: true, stake: 1000 * (index + 1) };
      if (hotkey === miner.address) return { uid: 9, validatorPermit: false, stake: 0 };
      return null;
    },
    requireValidatorPermit: true,
    minStake: 0,
  };
  const handler = imageSynapseHandler(async (image) => {
    const pixels = await imageToTensor(image, classifier.model.manifest.input);
    return (await classifier.classify(pixels, 1))[0]!.probability;
  }, log.forSource('miner'));
  const axon = await startAxon({
    hotkey: miner.address,
    host: '127.0.0.1',
    port: 0,
    policy,
    handler,
    log: log.forSource('axon'),
    onRecord: (r) => records.push(r),
  });
  axons.push(axon);
  return { axon, log, records };
}

function request(
  axon: Axon,
  from: KeyringPair,
  image = roadworkJpeg,
  extra: Partial<Parameters<typeof buildDendriteRequest>[2]> = {},
): DendriteRequest {
  return buildDendriteRequest(
    from,
    { ip: '127.0.0.1', port: axon.port, hotkey: miner.address },
    {
      synapseName: IMAGE_SYNAPSE,
      fields: { image, prediction: -1.0, testnet_label: -1 },
      ...extra,
    },
  );
}

async function send(
  req: DendriteRequest,
  overrides: { url?: string; headers?: Record<string, string>; body?: string } = {},
) {
  const response = await fetch(overrides.url ?? req.url, {
    method: 'POST',
    headers: { ...req.headers, ...overrides.headers },
    body: overrides.body ?? req.body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: JSON.parse(text) as Record<string, unknown> };
}

describe('the axon, as a Python validator sees it', () => {
  it('answers a valid signed request with 200 and a prediction in [0, 1]', async () => {
    const { axon } = await serve();
    const reply = await send(request(axon, validators[0]!));
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json');
    expect(reply.headers.get('bt_header_axon_status_code')).toBe('200');
    expect(Number.isFinite(Number(reply.headers.get('bt_header_axon_process_time')))).toBe(true);
    expect(reply.json.prediction).toEqual(expect.any(Number));
    expect(reply.json.prediction as number).toBeGreaterThanOrEqual(0);
    expect(reply.json.prediction as number).toBeLessThanOrEqual(1);
    expect(reply.json.axon).toMatchObject({ status_code: 200, status_message: 'Success' });
  });

  it('refuses with the status codes the Python axon uses', async () => {
    const { axon } = await serve();
    const alice = validators[0]!;
    const valid = request(axon, alice);
    expect((await send(valid, { url: valid.url.replace(IMAGE_SYNAPSE, 'TextSynapse') })).status).toBe(404);
    expect((await send(request(axon, outsider))).status).toBe(403);
    expect((await send(request(axon, miner))).status).toBe(403); // registered, but no validator permit
    const forged = request(axon, alice);
    expect(
      (
        await send(forged, {
          headers: { bt_header_dendrite_signature: request(axon, validators[1]!).signed.signature },
        })
      ).status,
    ).toBe(401);
    expect((await send(forged, { headers: { bt_header_dendrite_signature: '' } })).status).toBe(401);
    const stale = request(axon, alice, roadworkJpeg, { nonce: BigInt(Date.now() - 60_000) * 1_000_000n });
    expect((await send(stale)).status).toBe(401);
    expect((await send(valid, { body: '{"image": "trunc' })).status).toBe(400);
    const wrongHash = request(axon, alice, roadworkJpeg, { requiredHashFieldStrings: ['tampered'] });
    expect((await send(wrongHash)).status).toBe(400);
    const refused = await send(request(axon, outsider));
    expect(refused.json).toEqual({ message: expect.stringMatching(/not registered/) as unknown });
    expect(refused.headers.get('bt_header_axon_status_code')).toBe('403');
  });

  it('refuses a replayed request', async () => {
    const { axon } = await serve();
    const once = request(axon, validators[0]!);
    expect((await send(once)).status).toBe(200);
    expect((await send(once)).status).toBe(401);
  });

  it('answers only one of two copies of a request sent at the same moment', async () => {
    const { axon } = await serve();
    const once = request(axon, validators[0]!);
    const statuses = (await Promise.all([send(once), send(once)])).map((reply) => reply.status);
    expect(statuses.sort()).toEqual([200, 401]);
  });

  it('refuses an oversize body without reading it all', async () => {
    const { axon } = await serve();
    const big = request(axon, validators[0]!, 'A'.repeat(5 * 1024 * 1024));
    expect((await send(big)).status).toBe(413);
  });

  it('answers garbage base64 and non-images with the prior, and logs why', async () => {
    const { axon, log } = await serve();
    for (const image of ['%%%not base64%%%', Buffer.from('not an image').toString('base64'), '']) {
      const reply = await send(request(axon, validators[0]!, image));
      expect(reply.status, image).toBe(200);
      expect(reply.json.prediction, image).toBe(PRIOR_PREDICTION);
    }
    expect(log.recent(10).filter((entry) => entry.level === 'error')).toHaveLength(3);
  });

  it('answers 64 concurrent requests from five validators', async () => {
    const { axon, records } = await serve();
    const replies = await Promise.all(Array.from({ length: 64 }, (_, i) => send(request(axon, validators[i % 5]!))));
    expect(replies.map((reply) => reply.status)).toEqual(Array<number>(64).fill(200));
    expect(records).toHaveLength(64);
  });
});
