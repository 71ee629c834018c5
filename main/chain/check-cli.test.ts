import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { describe, expect, it } from 'vitest';
import { startSubtensorStandIn } from '../../tests/subtensor-stand-in.js';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, 'check-cli.ts');

describe('npm run chain:check', { timeout: 60_000 }, () => {
  it("prints the subnet's summary and where a hotkey stands", async () => {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const [v, a, b] = ['//Alice', '//Bob', '//Charlie'].map((uri) => keyring.addFromUri(uri).address) as [
      string,
      string,
      string,
    ];
    const stand = await startSubtensorStandIn(
      new Map([
        [
          72,
          [
            { hotkey: v, coldkey: v, stake: 1e5, validatorPermit: true },
            { hotkey: a, coldkey: a, stake: 0, incentive: 0.7, emission: 20 },
            { hotkey: b, coldkey: b, stake: 0, incentive: 0.3, emission: 8 },
          ],
        ],
      ]),
    );
    try {
      const args = ['--import', 'tsx', CLI, '--network', 'custom', '--endpoint', stand.url, '--netuid', '72'];
      const { stdout } = await run(process.execPath, [...args, '--hotkey', b, '--json']);
      const summary = JSON.parse(stdout) as Record<string, unknown>;
      expect(summary).toMatchObject({
        netuid: 72,
        uids: 3,
        validatorsWithPermit: 1,
        burnTao: 0.5,
        alphaPriceTao: 0.025,
      });
      expect((summary.topMiners as { uid: number }[]).map((m) => m.uid)).toEqual([1, 2]);
      expect(summary.minerIncentives).toEqual([expect.closeTo(0.7, 4), expect.closeTo(0.3, 4)]);
      expect(summary.standing).toMatchObject({ uid: 2, rank: 2, miners: 2 });
      const text = (await run(process.execPath, args)).stdout;
      expect(text).toMatch(/subnet 72 at block \d+/);
      expect(text).toMatch(/uid {3}1 {2}5\w+ {2}incentive 0\.7000/);
    } finally {
      await stand.close();
    }
  });

  it('names the endpoint it cannot reach', async () => {
    await expect(
      run(process.execPath, ['--import', 'tsx', CLI, '--network', 'custom', '--endpoint', 'ws://127.0.0.1:9']),
    ).rejects.toMatchObject({ stderr: expect.stringContaining('ws://127.0.0.1:9') as unknown });
  });
});
