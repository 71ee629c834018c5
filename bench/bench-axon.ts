/**
 * The axon the axon benchmarks measure, set up one way for both: the shipped model (or
 * BENCH_MODEL) in a real inference worker, serving as //Ferdie, with the development validators
 * registered and permitted; and the load processes they run against it.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { DEV_VALIDATOR_URIS } from '../main/bittensor/dev-accounts.js';
import { signaturesReady } from '../main/bittensor/signature.js';
import { InferenceService } from '../main/inference/inference-service.js';
import { forkWorker } from '../main/inference/worker-launcher.js';
import { LogService } from '../main/log/log-service.js';
import { startAxon, type Axon, type AxonRecord } from '../main/miner/axon-server.js';
import { imageSynapseHandler } from '../main/miner/image-synapse.js';

export const MODEL_DIR = process.env.BENCH_MODEL ?? join(import.meta.dirname, '..', 'resources', 'models', 'default');

export interface BenchAxon {
  axon: Axon;
  inference: InferenceService;
  /** The hotkey the axon serves as. */
  miner: KeyringPair;
  /** The development validators, uid in order (//Alice is uid 0). */
  validators: KeyringPair[];
  /** Stops the axon, then its inference worker. */
  readonly close: () => Promise<void>;
}

export async function startBenchAxon({
  stakeOf = () => 1000,
  onRecord,
}: {
  /** A validator's stake by uid: the axon serves the most staked first. */
  stakeOf?: (uid: number) => number;
  onRecord?: (record: AxonRecord) => void;
} = {}): Promise<BenchAxon> {
  await signaturesReady();
  const log = new LogService({ filePath: null });
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const validators = DEV_VALIDATOR_URIS.map((uri) => keyring.addFromUri(uri));
  const miner = keyring.addFromUri('//Ferdie');
  const inference = new InferenceService(forkWorker, log.forSource('inference'));
  await inference.load(MODEL_DIR, ['cpu']);
  const axon = await startAxon({
    hotkey: miner.address,
    host: '127.0.0.1',
    port: 0,
    policy: {
      standing: (hotkey) => {
        const uid = validators.findIndex((v) => v.address === hotkey);
        return uid >= 0 ? { uid, validatorPermit: true, stake: stakeOf(uid) } : null;
      },
      requireValidatorPermit: true,
      minStake: 0,
    },
    handler: imageSynapseHandler(
      async (bytes) => (await inference.classify(bytes)).probability,
      log.forSource('miner'),
    ),
    log: log.forSource('axon'),
    ...(onRecord ? { onRecord } : {}),
  });
  return {
    axon,
    inference,
    miner,
    validators,
    close: async () => {
      await axon.close();
      await inference.close();
    },
  };
}

/**
 * Runs a load script of bench/ (validator-load.ts, attack-load.ts) in a process of its own, so its
 * work does not share the axon's event loop, and reads the JSON it prints.
 */
export function runLoadProcess<T>(script: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, script), ...args],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout) =>
        error ? reject(new Error(`${script} failed: ${error.message}`)) : resolve(JSON.parse(stdout) as T),
    );
  });
}
