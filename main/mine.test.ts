import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { describe, expect, it } from 'vitest';
import { freePort } from '../tests/free-port.js';
import { useProgramRuns } from '../tests/program-run.js';
import { useTempDirs } from '../tests/temp-dir.js';
import { startSubtensorStandIn } from '../tests/subtensor-stand-in.js';
import { ensureLocalHotkey } from './wallet/local-hotkey.js';
import { signaturesReady } from './bittensor/signature.js';
import { renderStreetImage } from './scenes/generate.js';
import { buildDendriteRequest } from './bittensor/dendrite.js';

const tempDir = useTempDirs();
const run = useProgramRuns(join(import.meta.dirname, 'mine.ts'));

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

  it("mines on a live chain with btcli's flags: its validators answered, its ip advertised", async () => {
    const dataDir = await tempDir();
    const wallet = await ensureLocalHotkey(dataDir);
    const ours = (
      JSON.parse(await readFile(join(wallet.walletsPath, wallet.wallet, 'hotkeys', wallet.hotkey), 'utf8')) as {
        ss58Address: string;
      }
    ).ss58Address;
    await signaturesReady();
    const alice = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice');
    const stand = await startSubtensorStandIn(
      new Map([
        [
          72,
          [
            { hotkey: alice.address, coldkey: alice.address, stake: 10_000, validatorPermit: true },
            { hotkey: ours, coldkey: alice.address, stake: 0 },
          ],
        ],
      ]),
    );
    try {
      const port = await freePort();
      const miner = run([
        '--network',
        'custom',
        '--subtensor.chain_endpoint',
        stand.url,
        '--netuid',
        '72',
        '--wallet.path',
        wallet.walletsPath,
        '--wallet.name',
        wallet.wallet,
        '--wallet.hotkey',
        wallet.hotkey,
        '--axon.port',
        String(port),
        '--axon.external_ip',
        '198.51.100.20',
        '--data-dir',
        dataDir,
      ]);
      await expect
        .poll(() => miner.stdout(), { timeout: 30_000 })
        .toMatch(/Mining on the custom network as 5\w+ \(uid 1\), axon on port/);
      expect(stand.submitted).toEqual([expect.objectContaining({ method: 'serveAxon', signatureValid: true })]);
      const image = (await renderStreetImage(4, 'roadwork', 0)).jpeg.toString('base64');
      const request = buildDendriteRequest(
        alice,
        { ip: '127.0.0.1', port, hotkey: ours },
        { synapseName: 'ImageSynapse', fields: { image, prediction: -1.0, testnet_label: -1 } },
      );
      expect((await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body })).status).toBe(
        200,
      );
      miner.child.kill('SIGTERM');
      expect(await miner.exit).toBe(0);
    } finally {
      await stand.close();
    }
  });

  it('says why it cannot mine, and exits non-zero', async () => {
    const wallets = await tempDir();
    const finney = run([
      '--network',
      'finney',
      '--wallet.path',
      wallets,
      '--axon.port',
      String(await freePort()),
      '--data-dir',
      await tempDir(),
    ]);
    expect(await finney.exit).toBe(1);
    expect(finney.stderr()).toContain(`Mining could not start: `);
    expect(finney.stderr()).toContain(join(wallets, 'default', 'hotkeys', 'default'));
    const bad = run(['--axon.port', 'eighty']);
    expect(await bad.exit).toBe(2);
    expect(bad.stderr()).toMatch(/--axon\.port must be a whole number/);
  });
});
