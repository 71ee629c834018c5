/**
 * A rehearsal: a miner serving one model (or a fixed answer) on a fresh local subnet, judged by
 * its validators until each has queried it a number of times. This is how a candidate model is
 * judged before it is deployed: rank, incentive and reward as the validators would see them, what
 * that many answers amount to on mainnet, and whether real photos were among the images.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Keyring } from '@polkadot/keyring';
import { InferenceService } from '../inference/inference-service.js';
import { forkWorker, type WorkerLauncher } from '../inference/worker-launcher.js';
import type { Logger } from '../log/log-service.js';
import { startAxon } from '../miner/axon-server.js';
import { imageSynapseHandler } from '../miner/image-synapse.js';
import { signaturesReady } from '../bittensor/signature.js';
import { folderChallenges, sceneChallenges } from './challenge-source.js';
import { LocalSubnet, PACES, tempoDue, type LocalStanding, type PaceName, type SubnetPace } from './local-subnet.js';
import { MAX_FITTED_PEERS, peersFittedTo, spreadOfPeers, type SkillRange } from './peer-miners.js';
import {
  imageSources,
  realTimeEquivalent,
  servingMinersOf,
  type ImageSources,
  type RealTimeEquivalent,
} from './real-time-equivalent.js';

export interface RehearsalOptions {
  /** The model to serve; or `answer`, a fixed strategy (a baseline such as a constant 0.5). */
  modelDir?: string;
  answer?: (jpeg: Buffer) => Promise<number>;
  validators?: number;
  peers?: number;
  /** Challenges each validator sends our miner: it runs forwards (10 miners each) until it has. */
  challenges?: number;
  seed?: number;
  /** A labelled folder of real images instead of generated scenes. */
  folder?: string;
  /**
   * `compressed` (default): forwards back to back, a tempo every `tempoRounds` rounds; `real`: a
   * forward every 70 s and a tempo every 72 minutes, as on mainnet (a soak run: hours).
   */
  pace?: PaceName;
  /** Rounds per tempo at the compressed pace. */
  tempoRounds?: number;
  /** The peers' skills: an even spread over this range (default 0.5–0.98)… */
  peerSkill?: SkillRange;
  /** …or fitted to these live miner incentives (then one peer per live miner). */
  fitTo?: readonly number[];
  /** Serving miners on the live subnet, for the real-time equivalent; else counted from `fitTo`, else 250. */
  mainnetMiners?: number;
  log: Logger;
  launchWorker?: WorkerLauncher;
}

export interface RehearsalResult extends LocalStanding {
  validators: number;
  peers: number;
  challenges: number;
  tempos: number;
  pace: PaceName;
  /** Forwards each validator ran (10 miners each), the most of any. */
  forwards: number;
  /** What these answers amount to on mainnet. */
  realTimeEquivalent: RealTimeEquivalent;
  /** Where the images our miner was judged on came from. */
  imageSources: ImageSources;
}

export async function rehearse(options: RehearsalOptions): Promise<RehearsalResult> {
  const validators = options.validators ?? 5;
  const peerCount = options.peers ?? 24;
  const challenges = options.challenges ?? 100;
  const seed = options.seed ?? 1;
  const paceName = options.pace ?? 'compressed';
  const pace: SubnetPace =
    paceName === 'real' ? PACES.real : { roundIntervalMs: 0, tempoRounds: options.tempoRounds ?? 20 };
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
    const source = options.folder ? await folderChallenges(options.folder, seed) : sceneChallenges(seed);
    subnet = await LocalSubnet.create({
      netuid: 72,
      validators,
      peers: options.fitTo ? peersFittedTo(options.fitTo, seed) : spreadOfPeers(peerCount, seed, options.peerSkill),
      miner: { hotkey: ours.address, ip: '127.0.0.1', port: axon.port },
      source,
      seed,
      log: options.log,
    });
    const local = subnet;
    // A validator stops once it has sent our miner its challenges; the others go on.
    const wanted = (v: number): boolean => local.ourQueries()[v]! < challenges;
    let tempos = 0;
    let rounds = 0;
    let closed = true;
    const started = Date.now();
    while (local.ourQueries().some((_, v) => wanted(v))) {
      if (pace.roundIntervalMs > 0 && rounds > 0)
        await sleep(Math.max(0, started + rounds * pace.roundIntervalMs - Date.now()));
      await local.round(wanted);
      closed = tempoDue(pace, ++rounds);
      if (closed) {
        local.closeTempo();
        tempos++;
      }
    }
    if (!closed) {
      local.closeTempo();
      tempos++;
    }
    const queries = local.ourQueries();
    const liveMiners = options.mainnetMiners ?? servingMinersOf(options.fitTo);
    return {
      ...local.standing(),
      validators,
      peers: options.fitTo ? Math.min(options.fitTo.length, MAX_FITTED_PEERS) : peerCount,
      challenges,
      tempos,
      pace: paceName,
      forwards: Math.max(...local.forwards()),
      realTimeEquivalent: realTimeEquivalent(queries.reduce((a, b) => a + b, 0) / queries.length, liveMiners),
      imageSources: imageSources(local.ourImageOrigins()),
    };
  } finally {
    await axon.close();
    await inference?.close();
    await subnet?.dispose();
  }
}

export function formatRehearsal(result: RehearsalResult): string {
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  const { realTimeEquivalent: mainnet, imageSources: images } = result;
  return [
    `Rehearsal: ${result.validators} validators × ${result.challenges} challenges, against ${result.peers} simulated peers (${result.forwards} forwards of 10 miners, ${result.tempos} tempos, ${result.pace} pace)`,
    `  uid            ${result.uid}`,
    `  rank           ${result.rank} of ${result.miners} miners (position by incentive)`,
    `  incentive      ${result.incentive.toFixed(4)}`,
    `  emission       ${result.emission.toFixed(3)} α per tempo`,
    `  mean reward    ${result.meanReward.toFixed(4)}`,
    `  MCC            ${result.mcc.toFixed(3)}`,
    `  accuracy       ${pct(result.accuracy)} of ${result.answers} answers (${result.failures} unanswered)`,
    `  on mainnet     ${mainnet.summary}; a new miner's score ramps to ${pct(mainnet.scoreRamp)} of its level in that time`,
    `  score on chain a new miner reaches 64% of its level after ${mainnet.newMinerHoursTo['64%'].toFixed(1)} h, 90% after ${mainnet.newMinerHoursTo['90%'].toFixed(1)} h; down for 6 h it keeps ${pct(mainnet.scoreKeptAfterDowntime['6h'])}, for 24 h ${pct(mainnet.scoreKeptAfterDowntime['24h'])}`,
    `  images         ${images.photo} photos, ${images.generated} generated scenes${images.note ? `: ${images.note}` : ''}`,
  ].join('\n');
}
