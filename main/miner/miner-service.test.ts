import { chmod, readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { KeyringPair } from '@polkadot/keyring/types';
import { Keyring } from '@polkadot/keyring';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChallengeRecord } from '../../shared/domain/challenge.js';
import type { MinerStatus } from '../../shared/domain/miner.js';
import type { MetagraphView, StandingPoint } from '../../shared/domain/metagraph.js';
import { freePort } from '../../tests/free-port.js';
import { holdRequest } from '../../tests/held-request.js';
import { AVAILABLE_PROVIDERS } from '../../tests/inference-fixture.js';
import { useTempDirs } from '../../tests/temp-dir.js';
import { useTestHosts } from '../../tests/test-host.js';
import type { Host } from '../host.js';
import { renderStreetImage } from '../scenes/generate.js';
import { buildDendriteRequest } from '../bittensor/dendrite.js';
import { IMAGE_SYNAPSE } from './image-synapse.js';
import { ensureLocalHotkey } from '../wallet/local-hotkey.js';
import { startSubtensorStandIn } from '../../tests/subtensor-stand-in.js';
import { RUNTIME_300, RUNTIME_401, type PlannedNeuron, type RuntimeLayout } from '../../tests/subtensor-fixture.js';
import { signaturesReady } from '../bittensor/signature.js';

const testHost = useTestHosts();
const tempDir = useTempDirs();
let image: string;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

beforeAll(async () => {
  await signaturesReady();
  image = (await renderStreetImage(3, 'roadwork', 0)).jpeg.toString('base64');
});

async function call<T>(host: Host, command: string, payload: unknown = {}): Promise<T> {
  const result = await host.endpoint.invoke(command, payload);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as T;
}

async function hostOnFreePort(): Promise<{ host: Host; port: number }> {
  const host = await testHost();
  const port = await freePort();
  await call(host, 'settings.update', { axon: { port } });
  return { host, port };
}

describe('Start mining', { timeout: 60_000 }, () => {
  it('serves on the local network with no wallet, answers a validator, counts it, and stops', async () => {
    const { host, port } = await hostOnFreePort();
    const seen: MinerStatus[] = [];
    const subscription = host.endpoint.subscribe('miner.status', {}, (status) => seen.push(status as MinerStatus));
    const challenges: ChallengeRecord[] = [];
    host.endpoint.subscribe('challenges.live', { backlog: 0 }, (record) => challenges.push(record as ChallengeRecord));

    const serving = await call<MinerStatus>(host, 'miner.start');
    expect(serving).toMatchObject({ state: 'serving', model: { name: 'default' }, axonPort: port });
    // The settings ask for CUDA, then the CPU: CUDA where it loads, the CPU elsewhere.
    expect(AVAILABLE_PROVIDERS).toContain(serving.provider);
    expect(serving.hotkeyAddress).toMatch(/^5/);
    expect(seen.map((status) => status.state)).toEqual(expect.arrayContaining(['stopped', 'starting', 'serving']));

    const alice = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice');
    const request = buildDendriteRequest(
      alice,
      { ip: '127.0.0.1', port, hotkey: serving.hotkeyAddress! },
      {
        synapseName: IMAGE_SYNAPSE,
        fields: { image, prediction: -1.0, testnet_label: -1 },
      },
    );
    const reply = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
    expect(reply.status).toBe(200);
    await expect.poll(() => seen.at(-1)?.stats.answered).toBe(1);
    // Logged, with what we answered, the first stage's own output and a thumbnail.
    await expect.poll(() => challenges.length).toBe(1);
    expect(challenges[0]).toMatchObject({
      status: 200,
      uid: 0,
      hotkey: alice.address,
      imageHash: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
    });
    expect(challenges[0]!.prediction).toBe(challenges[0]!.firstStage);
    const thumbnail = await call<{ dataUrl: string | null }>(host, 'challenges.thumbnail', {
      hash: challenges[0]!.imageHash,
    });
    expect(thumbnail.dataUrl).toMatch(/^data:image\/jpeg;base64,/);
    expect(seen.at(-1)?.stats.latencyP50Ms).toEqual(expect.any(Number));

    const stopped = await call<MinerStatus>(host, 'miner.stop');
    expect(stopped.state).toBe('stopped');
    await expect(
      fetch(request.url, { method: 'POST', headers: request.headers, body: request.body }),
    ).rejects.toThrow();
    if (subscription.ok) subscription.subscription.dispose();
  });

  it("gets challenges from the local subnet's validators by itself, and a rank once a tempo closes", async () => {
    const host = await testHost({ localPace: { roundIntervalMs: 200, tempoRounds: 3 } });
    await call(host, 'settings.update', { axon: { port: await freePort() } });
    const views: MetagraphView[] = [];
    host.endpoint.subscribe('metagraph.view', {}, (view) => views.push(view as MetagraphView));
    const serving = await call<MinerStatus>(host, 'miner.start');
    expect(serving.state).toBe('serving');
    await expect.poll(() => views.at(-1)?.standing?.rank, { timeout: 30_000 }).toEqual(expect.any(Number));
    const view = views.at(-1)!;
    expect(view).toMatchObject({ source: 'local', live: true, ourHotkey: serving.hotkeyAddress });
    expect(view.metagraph!.neurons.filter((n) => n.validatorPermit)).toHaveLength(5);
    // Ranked among the 25 miners and earning (how well is the rehearsal's test: one tempo is noisy).
    expect(view.standing).toMatchObject({ miners: 25, uid: 5 });
    expect(view.standing!.incentive).toBeGreaterThan(0);
    const answered = (await call<MinerStatus>(host, 'miner.status')).stats.answered;
    // Each forward asks 10 of the 25 miners from the validator's deck: in the tempo's 3 rounds every
    // one of the 5 validators has reached ours at least once.
    expect(answered).toBeGreaterThanOrEqual(5);
    const history = await call<StandingPoint[]>(host, 'metagraph.history', {});
    expect(history.at(-1)).toMatchObject({ source: 'local', uid: view.standing!.uid });

    await call(host, 'miner.stop');
    expect(views.at(-1)).toMatchObject({ live: false, source: 'local' });
  });

  it('keeps the same local hotkey across restarts', async () => {
    const { host } = await hostOnFreePort();
    const first = await call<MinerStatus>(host, 'miner.start');
    await call(host, 'miner.stop');
    const second = await call<MinerStatus>(host, 'miner.start');
    expect(second.hotkeyAddress).toBe(first.hotkeyAddress);
    await call(host, 'miner.stop');
  });

  it('says so when the axon port is taken', async () => {
    const { host, port } = await hostOnFreePort();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const status = await call<MinerStatus>(host, 'miner.start');
      expect(status.state).toBe('error');
      expect(status.message).toMatch(new RegExp(`Port ${port} is in use`));
    } finally {
      blocker.close();
    }
  });

  it('says so when the model folder holds no model, and when mainnet has no wallet to mine with', async () => {
    const { host } = await hostOnFreePort();
    await call(host, 'settings.update', { inference: { modelDir: await tempDir() } });
    const noModel = await call<MinerStatus>(host, 'miner.start');
    expect(noModel).toMatchObject({
      state: 'error',
      message: expect.stringMatching(/cannot be served: .*model\.json cannot be read/) as unknown,
    });

    // Off the local network there is no stand-in hotkey: the operator's own must be there.
    const wallets = await tempDir();
    await call(host, 'settings.update', {
      inference: { modelDir: null },
      chain: { network: 'finney', netuid: 72 },
      wallet: { path: wallets, name: 'miner', hotkey: 'default' },
    });
    const finney = await call<MinerStatus>(host, 'miner.start');
    expect(finney.state).toBe('error');
    expect(finney.message).toContain(join(wallets, 'miner', 'hotkeys', 'default'));
    expect((await call<MinerStatus>(host, 'miner.stop')).state).toBe('stopped');
  });
});

describe('Start mining on a live chain', { timeout: 60_000 }, () => {
  async function chainHost(
    registered: boolean,
    externalIp: string | null = '203.0.113.5',
    runtime: RuntimeLayout = RUNTIME_300,
  ) {
    const dir = await tempDir();
    const wallet = await ensureLocalHotkey(dir);
    const ours = JSON.parse(
      await readFile(join(wallet.walletsPath, wallet.wallet, 'hotkeys', wallet.hotkey), 'utf8'),
    ) as { ss58Address: string };
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const alice = keyring.addFromUri('//Alice');
    const bob = keyring.addFromUri('//Bob');
    const neurons: PlannedNeuron[] = [
      { hotkey: alice.address, coldkey: alice.address, stake: 50_000, validatorPermit: true },
      { hotkey: bob.address, coldkey: bob.address, stake: 20, validatorPermit: false },
    ];
    if (registered) neurons.push({ hotkey: ours.ss58Address, coldkey: bob.address, stake: 1 });
    const stand = await startSubtensorStandIn(new Map([[72, neurons]]), runtime);
    cleanups.push(() => stand.close());
    const { host, port } = await hostOnFreePort();
    await call(host, 'settings.update', {
      chain: { network: 'custom', endpoint: stand.url, netuid: 72 },
      wallet: { path: wallet.walletsPath, name: wallet.wallet, hotkey: wallet.hotkey },
      axon: { externalIp },
    });
    return { host, port, stand, ours: ours.ss58Address, alice, bob };
  }

  const ask = async (from: KeyringPair, port: number, hotkey: string) => {
    const request = buildDendriteRequest(
      from,
      { ip: '127.0.0.1', port, hotkey },
      { synapseName: IMAGE_SYNAPSE, fields: { image, prediction: -1.0, testnet_label: -1 } },
    );
    return (await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body })).status;
  };

  it("serves the chain's validators only, and advertises its ip and port with serve_axon signed by the hotkey", async () => {
    const { host, port, stand, ours, alice, bob } = await chainHost(true);
    const serving = await call<MinerStatus>(host, 'miner.start');
    expect(serving.state, serving.message).toBe('serving');
    expect(serving.message).toMatch(/as uid 2\. Advertised 203\.0\.113\.5:\d+ on chain/);
    expect(stand.submitted).toEqual([
      expect.objectContaining({ method: 'serveAxon', signer: ours, signatureValid: true }),
    ]);
    expect(stand.submitted[0]!.args).toMatchObject({ netuid: 72, port });

    expect(await ask(alice, port, ours)).toBe(200);
    expect(await ask(bob, port, ours)).toBe(403); // registered, no validator permit
    expect(await ask(new Keyring({ type: 'sr25519' }).addFromUri('//Mallory'), port, ours)).toBe(403);

    // Restarted with the chain already advertising us, it does not submit again.
    await call(host, 'miner.stop');
    expect((await call<MinerStatus>(host, 'miner.start')).message).toMatch(/Advertised on chain at 203\.0\.113\.5/);
    expect(stand.submitted).toHaveLength(1);
    await call(host, 'miner.stop');

    // Back on the local subnet, its field of peers is fitted to the live miners just read (Bob and us).
    await call(host, 'settings.update', { chain: { network: 'local', endpoint: null } });
    expect((await call<MinerStatus>(host, 'miner.start')).state).toBe('serving');
    expect(host.metagraph.current).toMatchObject({ source: 'local' });
    expect(host.metagraph.current.metagraph!.neurons.filter((n) => !n.validatorPermit)).toHaveLength(3);
    await call(host, 'miner.stop');
  });

  it("mines on today's runtime, whose metagraph sends trust, rank and pruning_score empty", async () => {
    const { host, port, ours, alice } = await chainHost(true, '203.0.113.5', RUNTIME_401);
    const serving = await call<MinerStatus>(host, 'miner.start');
    expect(serving.state, serving.message).toBe('serving');
    expect(serving.message).toMatch(/as uid 2\./);
    expect(await ask(alice, port, ours)).toBe(200);
    // The console keeps the chain's gaps apart from its readings, and its consensus settings.
    expect(host.metagraph.current.metagraph).toMatchObject({
      deprecatedEmpty: ['trust', 'rank'],
      params: { commitRevealEnabled: true, commitRevealPeriod: 2, activityCutoff: 7200 },
    });
    await call(host, 'miner.stop');
  });

  it('refuses to start with an unregistered hotkey, and gives the btcli command and the burn', async () => {
    const { host } = await chainHost(false);
    const status = await call<MinerStatus>(host, 'miner.start');
    expect(status.state).toBe('error');
    expect(status.message).toMatch(
      /is not registered on subnet 72.*costs 0\.5000 TAO.*btcli subnet register --netuid 72/,
    );
  });

  it('says which endpoint it cannot reach', async () => {
    const { host, port } = await hostOnFreePort();
    const dir = await tempDir();
    const wallet = await ensureLocalHotkey(dir);
    await call(host, 'settings.update', {
      chain: { network: 'custom', endpoint: `ws://127.0.0.1:${port}`, netuid: 72 },
      wallet: { path: wallet.walletsPath, name: wallet.wallet, hotkey: wallet.hotkey },
    });
    const status = await call<MinerStatus>(host, 'miner.start');
    expect(status.state).toBe('error');
    expect(status.message).toContain(`ws://127.0.0.1:${port}`);
  });
});

describe('Mining under hostile traffic', { timeout: 60_000 }, () => {
  /** Every file under `dir`, none when it does not exist. */
  async function filesUnder(dir: string): Promise<string[]> {
    try {
      return (await readdir(dir, { recursive: true, withFileTypes: true }))
        .filter((e) => e.isFile())
        .map((e) => e.name);
    } catch {
      return [];
    }
  }

  it('keeps nothing of a refused request but a count: no challenge, no image, no log line naming the hotkey it claims', async () => {
    const { host, port } = await hostOnFreePort();
    const serving = await call<MinerStatus>(host, 'miner.start');
    expect(serving.state, serving.message).toBe('serving');
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const alice = keyring.addFromUri('//Alice');
    const build = (from: KeyringPair) =>
      buildDendriteRequest(
        from,
        { ip: '127.0.0.1', port, hotkey: serving.hotkeyAddress! },
        { synapseName: IMAGE_SYNAPSE, fields: { image, prediction: -1.0, testnet_label: -1 } },
      );
    const post = async (request: ReturnType<typeof build>, headers: Record<string, string> = {}) =>
      (await fetch(request.url, { method: 'POST', headers: { ...request.headers, ...headers }, body: request.body }))
        .status;
    const logLinesNamingAlice = () => host.log.recent(1000).filter((entry) => entry.message.includes(alice.address));
    const before = logLinesNamingAlice().length;

    // Claiming Alice: signed by Bob, signed by no one; an unregistered caller; Alice herself, leaving mid-body.
    const bobs = build(keyring.addFromUri('//Bob')).signed.signature;
    expect(await post(build(alice), { bt_header_dendrite_signature: bobs })).toBe(401);
    expect(await post(build(alice), { bt_header_dendrite_signature: `0x${'00'.repeat(64)}` })).toBe(401);
    expect(await post(build(keyring.addFromUri('//Mallory')))).toBe(403);
    const leaving = build(alice);
    const held = holdRequest(leaving.url, leaving.headers, leaving.body);
    await held.sent;
    held.leave();

    const stats = async () => (await call<MinerStatus>(host, 'miner.status')).stats;
    await expect.poll(async () => (await stats()).requests).toBe(4);
    expect(host.challenges.recent(100)).toEqual([]);
    expect(await filesUnder(host.challenges.thumbnailsDir)).toEqual([]);
    expect(await filesUnder(host.challenges.fullImagesDir)).toEqual([]);
    expect(logLinesNamingAlice()).toHaveLength(before);
    expect(await stats()).toMatchObject({
      answered: 0,
      refused: 4,
      errors: 0,
      refusedBy: { signature: 2, blacklist: 1, aborted: 1, malformed: 0, busy: 0, timeout: 0 },
    });

    // A request that verified is logged as before.
    expect(await post(build(alice))).toBe(200);
    await expect
      .poll(() => host.challenges.recent(100).map((c) => [c.status, c.hotkey]))
      .toEqual([[200, alice.address]]);
    await call(host, 'miner.stop');
  });

  it('warns at start when the hotkey file is readable by other users', async () => {
    const { host } = await hostOnFreePort();
    const wallet = await ensureLocalHotkey(await tempDir());
    const file = join(wallet.walletsPath, wallet.wallet, 'hotkeys', wallet.hotkey);
    await call(host, 'settings.update', {
      wallet: { path: wallet.walletsPath, name: wallet.wallet, hotkey: wallet.hotkey },
    });
    const safe = await call<MinerStatus>(host, 'miner.start');
    expect(safe.state, safe.message).toBe('serving');
    expect(safe.message).not.toMatch(/readable by other users/);
    await call(host, 'miner.stop');

    await chmod(file, 0o644);
    const exposed = await call<MinerStatus>(host, 'miner.start');
    expect(exposed.state, exposed.message).toBe('serving');
    expect(exposed.message).toContain(`The hotkey file ${file} is readable by other users: chmod 600 ${file}`);
    expect(
      host.log.recent(100).filter((entry) => entry.level === 'warn' && entry.message.includes(`chmod 600 ${file}`)),
    ).toHaveLength(1);
    await call(host, 'miner.stop');
  });
});
