import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { hexToU8a } from '@polkadot/util';
import { describe, expect, it } from 'vitest';
import { fixtureRegistry, metagraphAnswer } from '../../tests/subtensor-fixture.js';
import { useTempDirs } from '../../tests/temp-dir.js';
import { openDatabase } from '../store/database.js';
import { MIGRATIONS } from '../store/migrations.js';
import { decodeMetagraph } from './decode-metagraph.js';
import { MetagraphHistory } from './metagraph-history.js';
import { MetagraphService } from './metagraph-service.js';

const tempDir = useTempDirs();
const keyring = new Keyring({ type: 'ed25519', ss58Format: 42 });
const account = (name: string): string => keyring.addFromUri(`//${name}`).address;

describe('what the live subnet leaves for the local one', () => {
  it("keeps the live miners' incentives and the chain's kappa (u16 39321 → 0.6), across restarts", async () => {
    const metagraph = decodeMetagraph(
      fixtureRegistry().createType(
        'Option<PalletSubtensorRpcInfoMetagraph>',
        hexToU8a(
          metagraphAnswer(72, 6_000_123, [
            { hotkey: account('V'), coldkey: account('VC'), stake: 250_000, validatorPermit: true },
            { hotkey: account('Us'), coldkey: account('UC'), stake: 1, incentive: 0.75 },
            { hotkey: account('M'), coldkey: account('MC'), stake: 1, incentive: 0.25 },
          ]),
        ),
      ),
    );
    const path = join(await tempDir(), 'console.db');
    const db = openDatabase(path, MIGRATIONS);
    const service = new MetagraphService(new MetagraphHistory(db));
    expect(service.liveParams(72)).toBeNull();
    service.attach('chain', { current: metagraph, onDidChange: () => ({ dispose() {} }) }, account('Us'), null);
    service.dispose();
    db.close();

    const reopened = openDatabase(path, MIGRATIONS);
    const later = new MetagraphService(new MetagraphHistory(reopened));
    expect(later.liveParams(72)?.kappa).toBeCloseTo(39_321 / 65_535, 9);
    expect(later.liveIncentives(72)?.map((x) => x.toFixed(3))).toEqual(['0.750', '0.250']);
    expect(later.liveParams(1)).toBeNull();
    later.dispose();
    reopened.close();
  });

  it('reads a reading from before the settings were kept as incentives without settings', async () => {
    const db = openDatabase(join(await tempDir(), 'console.db'), MIGRATIONS);
    db.prepare('INSERT INTO live_incentives (netuid, time, incentives) VALUES (72, ?, ?)').run(
      new Date().toISOString(),
      JSON.stringify([0.5, 0.5]),
    );
    const history = new MetagraphHistory(db);
    expect(history.liveIncentives(72)).toEqual([0.5, 0.5]);
    expect(history.liveParams(72)).toBeNull();
    db.close();
  });
});
