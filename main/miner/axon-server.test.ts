import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { renderStreetImage } from '../scenes/generate.js';
import { OnnxClassifier } from '../inference/onnx-classifier.js';
import { imageToTensor } from '../inference/preprocess.js';
import { LogService } from '../log/log-service.js';
import { readModelDir } from '../scoring/model-dir.js';
import { buildDendriteRequest, type DendriteRequest } from '../bittensor/dendrite.js';
import {
  PER_HOTKEY_SLOTS,
  startAxon,
  type Axon,
  type AxonOptions,
  type AxonOutcome,
  type AxonPolicy,
  type AxonRecord,
} from './axon-server.js';
import { DEV_VALIDATOR_URIS } from '../bittensor/dev-accounts.js';
import { CANNOT_JUDGE_ANSWER, IMAGE_SYNAPSE, imageSynapseHandler } from './image-synapse.js';
import { signaturesReady } from '../bittensor/signature.js';
import { holdRequest, type HeldRequest } from '../../tests/held-request.js';

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

async function serve(options: Partial<AxonOptions> = {}): Promise<{
  axon: Axon;
  log: LogService;
  records: AxonRecord[];
  outcomes: AxonOutcome[];
  forwards: () => number;
}> {
  const log = new LogService({ filePath: null });
  const records: AxonRecord[] = [];
  const outcomes: AxonOutcome[] = [];
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
  // The real handler, counted: work started for a request shows here.
  let forwards = 0;
  const axon = await startAxon({
    hotkey: miner.address,
    host: '127.0.0.1',
    port: 0,
    policy,
    handler: {
      ...handler,
      forward: (synapse, context) => {
        forwards++;
        return handler.forward(synapse, context);
      },
    },
    log: log.forSource('axon'),
    onRecord: (r) => records.push(r),
    onOutcome: (o) => outcomes.push(o),
    ...options,
  });
  axons.push(axon);
  return { axon, log, records, outcomes, forwards: () => forwards };
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

  it('answers garbage base64 and non-images by the default policy (-1), and logs why', async () => {
    const { axon, log } = await serve();
    for (const image of ['%%%not base64%%%', Buffer.from('not an image').toString('base64'), '']) {
      const reply = await send(request(axon, validators[0]!, image));
      expect(reply.status, image).toBe(200);
      expect(reply.json.prediction, image).toBe(CANNOT_JUDGE_ANSWER.abstain);
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

/** Headers out, body held back: the request sits wherever the axon keeps it while it waits. */
function hold(req: DendriteRequest, sentBytes = 16): HeldRequest {
  return holdRequest(req.url, req.headers, req.body, sentBytes);
}

const JUNK_SIGNATURE = `0x${'00'.repeat(64)}`;

describe('the axon under hostile traffic', () => {
  it('frees the place of a queued request whose client went away', async () => {
    const { axon } = await serve();
    // Every slot taken by a slow body, 32 more queued behind them, and those 32 leave.
    const holders = Array.from({ length: 32 }, (_, i) => hold(request(axon, validators[i % 5]!)));
    await expect.poll(() => axon.load()).toEqual({ running: 32, waiting: 0 });
    const queued = Array.from({ length: 32 }, (_, i) => hold(request(axon, validators[i % 5]!)));
    await expect.poll(() => axon.load()).toEqual({ running: 32, waiting: 32 });
    for (const gone of queued) gone.leave();
    await expect.poll(() => axon.load()).toEqual({ running: 32, waiting: 0 });
    for (const holder of holders) holder.finish();
    await Promise.all(holders.map((holder) => holder.status));
    const later = await Promise.all(validators.map((v) => send(request(axon, v, roadworkJpeg, { timeoutS: 3 }))));
    expect(later.map((reply) => reply.status)).toEqual(Array<number>(5).fill(200));
  });

  it('refuses a request with a junk signature before it holds a slot or its body is read', async () => {
    const { axon, outcomes } = await serve();
    const alice = validators[0]!;
    const junk = Array.from({ length: 32 }, () =>
      holdRequest(
        request(axon, alice).url,
        { ...request(axon, alice).headers, bt_header_dendrite_signature: JUNK_SIGNATURE },
        request(axon, alice).body,
      ),
    );
    try {
      await expect.poll(() => outcomes.length).toBe(32);
      const valid = await send(request(axon, validators[1]!, roadworkJpeg, { timeoutS: 3 }));
      expect(valid.status).toBe(200);
      expect(await Promise.all(junk.map((j) => j.status))).toEqual(Array<number>(32).fill(401));
    } finally {
      for (const j of junk) j.leave();
    }
  });

  it('lets one validator hold at most a quarter of the slots, and gives a slow body a short deadline', async () => {
    const { axon } = await serve();
    const slow = Array.from({ length: 32 }, () => hold(request(axon, validators[0]!, roadworkJpeg, { timeoutS: 4 })));
    try {
      await expect.poll(() => axon.load().running).toBe(PER_HOTKEY_SLOTS);
      const other = await send(request(axon, validators[1]!, roadworkJpeg, { timeoutS: 1.5 }));
      expect(other.status).toBe(200);
      expect(await Promise.all(slow.map((s) => s.status))).toEqual(Array<number>(32).fill(408));
    } finally {
      for (const s of slow) s.leave();
    }
  });

  it('starts no work for a request whose signature does not verify', async () => {
    const { axon, forwards } = await serve();
    const forged = request(axon, validators[0]!);
    const reply = await send(forged, {
      headers: { bt_header_dendrite_signature: request(axon, validators[1]!).signed.signature },
    });
    expect(reply.status).toBe(401);
    expect(forwards()).toBe(0);
  });

  it('keeps no record of a refused request, only a count by reason', async () => {
    const { axon, records, outcomes, log } = await serve();
    const alice = validators[0]!;
    const valid = request(axon, alice);
    const statuses = [
      (await send(valid, { url: valid.url.replace(IMAGE_SYNAPSE, 'TextSynapse') })).status,
      (await fetch(valid.url, { method: 'GET', headers: valid.headers })).status,
      (await send(request(axon, alice), { headers: { timeout: 'soon' } })).status,
      (await send(request(axon, outsider))).status,
      (await send(request(axon, alice), { headers: { bt_header_dendrite_signature: JUNK_SIGNATURE } })).status,
    ];
    expect(statuses).toEqual([404, 405, 400, 403, 401]);
    expect(records).toEqual([]);
    expect(outcomes.map((o) => o.refusal)).toEqual(['malformed', 'malformed', 'malformed', 'blacklist', 'signature']);
    expect(log.recent(100).filter((entry) => entry.message.includes(alice.address))).toEqual([]);

    expect((await send(request(axon, alice))).status).toBe(200);
    expect(records.map((r) => [r.status, r.hotkey])).toEqual([[200, alice.address]]);
    expect(outcomes.at(-1)).toMatchObject({ status: 200, refusal: null });
  });

  it('answers POST // with 404, not a 500', async () => {
    const { axon, outcomes } = await serve();
    const valid = request(axon, validators[0]!);
    const reply = holdRequest(valid.url, valid.headers, valid.body, valid.body.length, '//');
    expect(await reply.status).toBe(404);
    expect(outcomes).toEqual([expect.objectContaining({ status: 404, refusal: 'malformed' })]);
  });

  it('counts a client that leaves mid-body as aborted, not as an error', async () => {
    const { axon, records, outcomes, log } = await serve();
    const leaving = hold(request(axon, validators[0]!));
    await expect.poll(() => axon.load().running).toBe(1);
    leaving.leave();
    await expect.poll(() => outcomes).toEqual([expect.objectContaining({ status: null, refusal: 'aborted' })]);
    expect(records).toEqual([]);
    expect(log.recent(100).filter((entry) => entry.level === 'error')).toEqual([]);
  });
});
