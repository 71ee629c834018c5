import { Keyring } from '@polkadot/keyring';
import { describe, expect, it } from 'vitest';
import { signaturesReady } from '../bittensor/signature.js';
import { LogService } from '../log/log-service.js';
import { sceneChallenges } from './challenge-source.js';
import { LocalSubnet } from './local-subnet.js';
import { spreadOfPeers } from './peer-miners.js';

const log = new LogService({ filePath: null }).forSource('local-subnet');

/** One validator, our miner and 24 near-perfect, quick peers; our axon is nowhere (every query to it fails). */
async function subnet(): Promise<LocalSubnet> {
  await signaturesReady();
  const ours = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Silent');
  const peers = spreadOfPeers(24, 3, { lowest: 0.95, highest: 0.98 }).map((peer) => ({ ...peer, latencyMs: 100 }));
  return LocalSubnet.create({
    netuid: 72,
    validators: 1,
    peers,
    miner: { hotkey: ours.address, ip: '127.0.0.1', port: 9 },
    source: sceneChallenges(3),
    seed: 3,
    timeoutS: 1,
    log,
  });
}

const paid = (local: LocalSubnet): number[] =>
  local.current.neurons.filter((n) => !n.validatorPermit && n.incentive > 0).map((n) => n.uid);

describe('a local validator forward', { timeout: 60_000 }, () => {
  it('queries 10 miners of its deck and moves only their scores', async () => {
    const local = await subnet();
    try {
      await local.round();
      local.closeTempo();
      // Right answers earn; the 15 peers not asked keep a score of 0 and get no weight.
      expect(paid(local).length).toBeGreaterThan(0);
      expect(paid(local).length).toBeLessThanOrEqual(10);
      expect(local.forwards()).toEqual([1]);
    } finally {
      await local.dispose();
    }
  });

  it('reaches every miner, ours included, once per pass of its deck', async () => {
    const local = await subnet();
    try {
      // 25 miners: a pass is 2.5 forwards, so 5 forwards are two passes: our miner asked twice.
      for (let i = 0; i < 5; i++) await local.round();
      local.closeTempo();
      expect(local.ourQueries()).toEqual([2]);
      expect(local.standing().failures).toBe(2);
      // Every peer was asked twice and all answer well: every peer is paid, our silent miner is not.
      expect(paid(local)).toHaveLength(24);
      expect(local.standing().incentive).toBe(0);
      expect(local.ourImageOrigins()).toEqual({ photo: 0, generated: 2 });
    } finally {
      await local.dispose();
    }
  });
});
