/**
 * One side of the axon attack benchmark, in a process of its own (as validators and attackers
 * are): either the steady stream of valid requests from real validators, or one attack. Runs for
 * SECONDS, then prints what it saw as JSON on stdout.
 * Usage: tsx bench/attack-load.ts PORT MINER_HOTKEY ROLE SECONDS
 * ROLE: valid | gate-leak | junk-slow-body | bomb | forged-flood
 */
import { Agent, request as httpRequest } from 'node:http';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { pause } from '../main/base/retry.js';
import { DEV_VALIDATOR_URIS } from '../main/bittensor/dev-accounts.js';
import { IMAGE_SYNAPSE } from '../main/miner/image-synapse.js';
import { signaturesReady } from '../main/bittensor/signature.js';
import { renderStreetImage } from '../main/scenes/generate.js';
import { buildDendriteRequest, type DendriteRequest } from '../main/bittensor/dendrite.js';
import { holdRequest, type HeldRequest } from '../tests/held-request.js';
import { jpegClaiming } from '../tests/image-bombs.js';
import { VALID_TIMEOUT_S, type AttackResult, type Role, type ValidResult } from './attack-protocol.js';
import { errorMessage } from '../shared/errors.js';

/** The steady stream: far above a real miner's load (a few challenges a minute), to see any slowdown. */
const VALID_PER_SECOND = 10;
const JUNK_SIGNATURE = `0x${'00'.repeat(64)}`;

const [port, minerHotkey, role, secondsText] = process.argv.slice(2) as [string, string, Role, string];
const seconds = Number(secondsText);
const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
/** When the run ends (performance.now() ms), set once the images are ready. */
let endsAt = 0;
const until = (): boolean => performance.now() < endsAt;

function build(from: KeyringPair, image: string, timeoutS = VALID_TIMEOUT_S): DendriteRequest {
  return buildDendriteRequest(
    from,
    { ip: '127.0.0.1', port: Number(port), hotkey: minerHotkey },
    { synapseName: IMAGE_SYNAPSE, fields: { image, prediction: -1.0, testnet_label: -1 }, timeoutS },
  );
}

/** The status, or 0 for no answer; given up after the dendrite's timeout, as a dendrite does. */
function post(request: DendriteRequest, agent: Agent | false, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      client.destroy();
      resolve(0);
    }, VALID_TIMEOUT_S * 1000);
    const client = httpRequest(
      request.url,
      {
        method: 'POST',
        headers: { ...request.headers, ...headers, 'content-length': String(Buffer.byteLength(request.body)) },
        agent,
      },
      (response) => {
        response.resume();
        response.on('end', () => {
          clearTimeout(timer);
          resolve(response.statusCode ?? 0);
        });
        response.on('error', () => {
          clearTimeout(timer);
          resolve(0);
        });
      },
    );
    client.on('error', () => {
      clearTimeout(timer);
      resolve(0);
    });
    client.end(request.body);
  });
}

/**
 * A forged request costs its sender nothing to repeat: the axon remembers only verified nonces,
 * so one built a second ago still has a fresh nonce and is verified (and refused) again. Rebuilt
 * each second, well inside the nonce's window (4 s + the timeout).
 */
function reused(make: () => DendriteRequest): () => DendriteRequest {
  let built = make();
  let at = performance.now();
  return () => {
    if (performance.now() - at > 1000) {
      built = make();
      at = performance.now();
    }
    return built;
  };
}

/** `loops` loops, each sending one request after another until the time is up. */
async function loops(count: number, one: () => Promise<number>, tally: AttackResult): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, async () => {
      while (until()) {
        const status = await one();
        tally.sent++;
        tally.byStatus[status] = (tally.byStatus[status] ?? 0) + 1;
        // A refused connection (ports running out) is retried after a breath, not in a hot loop.
        if (status === 0) await pause(10);
      }
    }),
  );
}

async function valid(image: string): Promise<ValidResult> {
  // Real validators other than Alice, whom the attacks claim to be (or are).
  const senders = DEV_VALIDATOR_URIS.slice(1).map((uri) => keyring.addFromUri(uri));
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const pending: Promise<{ ms: number; status: number }>[] = [];
  for (let i = 0; until(); i++) {
    // Signed before the clock starts: signing is the validator's cost, not the axon's.
    const request = build(senders[i % senders.length]!, image);
    const began = performance.now();
    pending.push(post(request, agent).then((status) => ({ ms: performance.now() - began, status })));
    await pause(1000 / VALID_PER_SECOND);
  }
  const requests = await Promise.all(pending);
  agent.destroy();
  return { requests };
}

async function attack(kind: Exclude<Role, 'valid'>, image: string): Promise<AttackResult> {
  const alice = keyring.addFromUri('//Alice');
  const bob = keyring.addFromUri('//Bob');
  const tally: AttackResult = { sent: 0, byStatus: {} };
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  switch (kind) {
    case 'gate-leak': {
      // Alice herself, validly signed: 64 connections whose bodies never come, dropped after 2 s.
      while (until()) {
        const held: HeldRequest[] = Array.from({ length: 64 }, () => {
          const request = build(alice, image);
          return holdRequest(request.url, request.headers, request.body);
        });
        await pause(2000);
        for (const one of held) one.leave();
        for (const status of await Promise.all(held.map((one) => one.status))) {
          tally.sent++;
          tally.byStatus[status] = (tally.byStatus[status] ?? 0) + 1;
        }
      }
      break;
    }
    case 'junk-slow-body': {
      // Claiming Alice with a junk signature; the body trickles (16 bytes, then nothing).
      const open = new Set<HeldRequest>();
      const junk = reused(() => build(alice, image));
      await loops(
        64,
        async () => {
          const request = junk();
          const held = holdRequest(
            request.url,
            { ...request.headers, bt_header_dendrite_signature: JUNK_SIGNATURE },
            request.body,
          );
          open.add(held);
          const ended = await Promise.race([held.status, pause(endsAt - performance.now()).then(() => -1)]);
          open.delete(held);
          held.leave();
          return ended === -1 ? 0 : ended;
        },
        tally,
      );
      for (const held of open) held.leave();
      break;
    }
    case 'bomb': {
      // A few kB JPEG whose header claims 20000×20000: signed by Alice, and forged in her name.
      const bomb = (await jpegClaiming(20_000, 20_000)).toString('base64');
      const forged = reused(() => build(alice, bomb));
      await Promise.all([
        loops(8, () => post(build(alice, bomb), agent), tally),
        loops(8, () => post(forged(), agent, { bt_header_dendrite_signature: JUNK_SIGNATURE }), tally),
      ]);
      break;
    }
    case 'forged-flood': {
      // Whole requests in Alice's name, signed by Bob's key.
      const forged = reused(() => {
        const request = build(alice, image);
        const signature = build(bob, image).signed.signature;
        return { ...request, headers: { ...request.headers, bt_header_dendrite_signature: signature } };
      });
      await loops(64, () => post(forged(), agent), tally);
      break;
    }
  }
  agent.destroy();
  return tally;
}

async function main(): Promise<void> {
  await signaturesReady();
  const image = (await renderStreetImage(5, 'roadwork', 0)).jpeg.toString('base64');
  endsAt = performance.now() + seconds * 1000;
  const result = role === 'valid' ? await valid(image) : await attack(role, image);
  process.stdout.write(JSON.stringify(result));
}

main().catch((error: unknown) => {
  process.stderr.write(`attack load (${role}) failed: ${errorMessage(error)}\n`);
  process.exit(1);
});
