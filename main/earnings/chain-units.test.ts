import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { hexToU8a } from '@polkadot/util';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ECONOMICS } from '../../shared/domain/earnings.js';
import { fixtureRegistry, metagraphAnswer } from '../../tests/subtensor-fixture.js';
import { useTempDirs } from '../../tests/temp-dir.js';
import { decodeMetagraph } from '../chain/decode-metagraph.js';
import { MetagraphHistory } from '../chain/metagraph-history.js';
import { MetagraphService } from '../chain/metagraph-service.js';
import { openDatabase } from '../store/database.js';
import { MIGRATIONS } from '../store/migrations.js';
import { earningsSummary } from './earnings-summary.js';

const tempDir = useTempDirs();
const keyring = new Keyring({ type: 'ed25519', ss58Format: 42 });
const account = (name: string): string => keyring.addFromUri(`//${name}`).address;

describe('a chain reading, from the wire to USD', () => {
  it('keeps α per tempo (rao ÷ 10⁹), the tempo and the pool price, and turns them into a day', async () => {
    // The runtime API's answer, SCALE-encoded through the real v15 metadata: our uid got
    // 3.61 α (3_610_000_000 rao) in the last tempo of 360 blocks; the pool holds 25 000 TAO
    // against 1 000 000 α, 0.025 TAO per α.
    const answer = metagraphAnswer(72, 6_000_123, [
      { hotkey: account('V'), coldkey: account('VC'), stake: 250_000, validatorPermit: true },
      { hotkey: account('Us'), coldkey: account('UC'), stake: 1, incentive: 0.2, emission: 3.61 },
    ]);
    const metagraph = decodeMetagraph(
      fixtureRegistry().createType('Option<PalletSubtensorRpcInfoMetagraph>', hexToU8a(answer)),
    );
    const db = openDatabase(join(await tempDir(), 'console.db'), MIGRATIONS);
    const history = new MetagraphHistory(db);
    const service = new MetagraphService(history);
    service.attach('chain', { current: metagraph, onDidChange: () => ({ dispose() {} }) }, account('Us'), null);

    const readings = history.emissionReadings();
    expect(readings).toHaveLength(1);
    expect(readings[0]).toMatchObject({ source: 'chain', netuid: 72, uid: 1, tempo: 360, taoPerAlpha: 0.025 });
    expect(readings[0]!.emissionPerTempo).toBeCloseTo(3.61, 9);

    // 3.61 α × 7200 / 361 epochs a day = 72 α; × 0.025 = 1.8 TAO; × 300 USD = 540 USD.
    const [day] = earningsSummary(readings, { ...DEFAULT_ECONOMICS, taoUsd: 300 }, new Map(), 1).days;
    expect(day!.alphaPerDay).toBeCloseTo(72, 9);
    expect(day!.taoPerDay).toBeCloseTo(1.8, 9);
    expect(day!.earningsUsd).toBeCloseTo(540, 6);
    service.dispose();
    db.close();
  });
});
