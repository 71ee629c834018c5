import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RUNTIME_300, type RuntimeLayout } from '../../tests/subtensor-fixture.js';
import { startSubtensorStandIn, type SubtensorStandIn } from '../../tests/subtensor-stand-in.js';
import { LogService } from '../log/log-service.js';
import { ChainError, SubtensorClient } from './subtensor-client.js';

let keyring: Keyring;
beforeAll(async () => {
  await cryptoWaitReady();
  keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
});

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function node(runtime: RuntimeLayout = RUNTIME_300): Promise<SubtensorStandIn> {
  const alice = keyring.addFromUri('//Alice');
  const bob = keyring.addFromUri('//Bob');
  const stand = await startSubtensorStandIn(
    new Map([
      [
        72,
        [
          { hotkey: alice.address, coldkey: alice.address, stake: 100_000, validatorPermit: true },
          {
            hotkey: bob.address,
            coldkey: bob.address,
            stake: 3,
            incentive: 0.4,
            axon: { ip: '198.51.100.4', port: 8091 },
          },
        ],
      ],
    ]),
    runtime,
  );
  cleanups.push(() => stand.close());
  return stand;
}

async function connect(stand: SubtensorStandIn): Promise<SubtensorClient> {
  const client = await SubtensorClient.connect(
    stand.url,
    new LogService({ filePath: null }).forSource('chain'),
    10_000,
  );
  cleanups.push(() => client.close());
  return client;
}

describe('the live chain through @polkadot/api', { timeout: 30_000 }, () => {
  it("reads a subnet's metagraph with one runtime-API call, decoded through the node's metadata", async () => {
    const stand = await node();
    const client = await connect(stand);
    const metagraph = await client.metagraph(72);
    expect(metagraph.neurons.map((n) => n.hotkey)).toEqual([
      keyring.addFromUri('//Alice').address,
      keyring.addFromUri('//Bob').address,
    ]);
    expect(metagraph.neurons[1]).toMatchObject({ stake: 3, axon: { ip: '198.51.100.4', port: 8091 } });
    expect(stand.calls.filter((method) => method === 'state_call').length).toBeGreaterThan(0);
  });

  it('names the runtime that answered when its metagraph lacks a field the console mines with', async () => {
    const client = await connect(await node({ specVersion: 402, emptyVectors: ['trust', 'incentives'] }));
    await expect(client.metagraph(72)).rejects.toThrow(
      /get_metagraph under runtime spec version 402 gives 0 incentives for 2 uids; the console needs one per uid/,
    );
  });

  it('follows new blocks', async () => {
    const stand = await node();
    const client = await connect(stand);
    const seen: number[] = [];
    const subscription = client.onBlock((block) => seen.push(block));
    await expect.poll(() => seen.length).toBeGreaterThan(0);
    stand.advance(2);
    await expect.poll(() => seen.at(-1)).toBe(stand.block);
    subscription.dispose();
  });

  it('submits serve_axon signed by the hotkey, with the ip as an integer', async () => {
    const stand = await node();
    const client = await connect(stand);
    const bob = keyring.addFromUri('//Bob');
    await client.serveAxon(
      { address: bob.address, signBytes: (data) => bob.sign(data) },
      { netuid: 72, ip: '203.0.113.9', port: 8092, version: 1 },
    );
    expect(stand.submitted).toHaveLength(1);
    expect(stand.submitted[0]).toMatchObject({
      section: 'subtensorModule',
      method: 'serveAxon',
      signer: bob.address,
      signatureValid: true,
      args: { netuid: 72, port: 8092, ip_type: 4, protocol: 4 },
    });
    expect(BigInt(stand.submitted[0]!.args.ip as string | number)).toBe(0xcb007109n);
  });

  it('reconnects by itself after the endpoint drops, and follows blocks again', async () => {
    const stand = await node();
    const client = await connect(stand);
    const seen: number[] = [];
    client.onBlock((block) => seen.push(block));
    await expect.poll(() => seen.length).toBeGreaterThan(0);
    stand.dropConnections();
    await expect.poll(() => client.connected).toBe(false);
    await expect.poll(() => client.connected, { timeout: 10_000 }).toBe(true);
    expect((await client.metagraph(72)).neurons).toHaveLength(2);
    stand.advance(3);
    await expect.poll(() => seen.at(-1), { timeout: 5000 }).toBe(stand.block);
  });

  it('backs off while the node is down, says so, and gets back in when it returns', async () => {
    const stand = await node();
    const log = new LogService({ filePath: null });
    const client = await SubtensorClient.connect(stand.url, log.forSource('chain'), 10_000, [100, 200, 400]);
    cleanups.push(() => client.close());
    const waits = (): (string | undefined)[] =>
      log
        .recent(50)
        .map((entry) => /trying again in ([\d.]+) s/.exec(entry.message)?.[1])
        .filter(Boolean);
    await stand.goDown();
    await expect.poll(waits, { timeout: 5000 }).toEqual(['0.1', '0.2', '0.4', '0.4']);
    await stand.comeBack();
    await expect.poll(() => client.connected, { timeout: 5000 }).toBe(true);
    expect((await client.metagraph(72)).netuid).toBe(72);
  });

  it('names the endpoint when the chain cannot be reached', async () => {
    await expect(
      SubtensorClient.connect('ws://127.0.0.1:9', new LogService({ filePath: null }).forSource('chain'), 3000),
    ).rejects.toThrow(ChainError);
  });
});
