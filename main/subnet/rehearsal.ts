/**
 * A rehearsal: a miner serving one model (or a fixed answer) on a fresh local subnet, judged by
 * its validators for a number of challenges. This is how a candidate model is judged before it
 * is deployed: rank, incentive and reward as the validators would see them.
 */
import { Keyring } from '@polkadot/keyring';
import { InferenceService } from '../inference/inference-service.js';
import { forkWorker, type WorkerLauncher } from '../inference/worker-launcher.js';
import type { Logger } from '../log/log-service.js';
import { startAxon } from '../miner/axon-server.js';
import { imageSynapseHandler } from '../miner/image-synapse.js';
import { signaturesReady } from '../bittensor/signature.js';
import { folderChallenges, sceneChallenges } from './challenge-source.js';
import { LocalSubnet, type LocalStanding } from './local-subnet.js';
import { peersFittedTo, spreadOfPeers, type SkillRange } from './peer-miners.js';

export interface RehearsalOptions {
  /** The model to serve; or `answer`, a fixed strategy (a baseline such as a constant 0.5). */
  modelDir?: string;
  answer?: (jpeg: Buffer) => Promise<number>;
  validators?: number;
  peers?: number;
  /** Challenges each validator sends. */
  challenges?: number;
  seed?: number;
  /** A labelled folder of real images instead of generated scenes. */
  folder?: string;
  /** Rounds per tempo. */
  tempoRounds?: number;
  /** The peers' skills: an even spread over this range (default 0.5–0.98)… */
  peerSkill?: SkillRange;
  /** …or fitted to these live miner incentives (then one peer per live miner). */
  fitTo?: readonly number[];
  log: Logger;
  launchWorker?: WorkerLauncher;
}

export interface RehearsalResult extends LocalStanding {
  validators: number;
  peers: number;
  challenges: number;
  tempos: number;
}

export async function rehearse(options: RehearsalOptions): Promise<RehearsalResult> {
  const validators = options.validators ?? 5;
  const peerCount = options.peers ?? 24;
  const challenges = options.challenges ?? 100;
  const seed = options.seed ?? 1;
  const tempoRounds = options.tempoRounds ?? 20;
  if (!options.modelDir && !options.answer) throw new Error('a rehearsal needs a model or an answer');

  await signaturesReady();
  const ours = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(`//Rehearsal/${seed}`);
  let inference: InferenceService | null = null;
  if (!options.answer) {
    inference = new InferenceService(options.launchWorker ?? forkWorker, options.log);
    await inference.load(options.modelDir!, ['cuda', 'cpu']);
  }
  const serving = inference;
  const answer = options.answer ?? (async (jpeg: Buffer) => (await serving!.classify(jpeg)).probability);
  let subnet: LocalSubnet | null = null;
  const axon = await startAxon({
    hotkey: ours.address,
    host: '127.0.0.1',
    port: 0,
    policy: {
      standing: (hotkey) => subnet?.members.get(hotkey) ?? null,
      requireValidatorPermit: true,
      minStake: 0,
    },
    handler: imageSynapseHandler((image) => answer(image), options.log),
    log: options.log,
  });
  try {
    const source = options.folder ? await folderChallenges(options.folder) : sceneChallenges(seed);
    subnet = await LocalSubnet.create({
      netuid: 72,
      validators,
      peers: options.fitTo ? peersFittedTo(options.fitTo, seed) : spreadOfPeers(peerCount, seed, options.peerSkill),
      miner: { hotkey: ours.address, ip: '127.0.0.1', port: axon.port },
      source,
      seed,
      log: options.log,
    });
    let tempos = 0;
    for (let round = 1; round <= challenges; round++) {
      await subnet.round();
      if (round % tempoRounds === 0 || round === challenges) {
        subnet.closeTempo();
        tempos++;
      }
    }
    return {
      ...subnet.standing(),
      validators,
      peers: options.fitTo ? Math.min(options.fitTo.length, 250) : peerCount,
      challenges,
      tempos,
    };
  } finally {
    await axon.close();
    await inference?.close();
    await subnet?.dispose();
  }
}

export function formatRehearsal(result: RehearsalResult): string {
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  return [
    `Rehearsal: ${result.validators} validators × ${result.challenges} challenges, against ${result.peers} simulated peers (${result.tempos} tempos)`,
    `  uid            ${result.uid}`,
    `  rank           ${result.rank} of ${result.miners} miners`,
    `  incentive      ${result.incentive.toFixed(4)}`,
    `  emission       ${result.emission.toFixed(3)} α per tempo`,
    `  mean reward    ${result.meanReward.toFixed(4)}`,
    `  MCC            ${result.mcc.toFixed(3)}`,
    `  accuracy       ${pct(result.accuracy)} of ${result.answers} answers (${result.failures} unanswered)`,
  ].join('\n');
}
