/**
 * A StreetVision subnet on the operator's own machine. Local validators (substrate's development
 * accounts, with stake) run forwards as natix's do: each sends one labelled image to 10 miners
 * dealt from its own shuffled deck of serving uids (the operator's axon, over real HTTP with real
 * signatures, among a field of simulated peers) and moves only those miners' scores with the
 * subnet's reward. Each tempo their moving-average scores become weights, and Yuma consensus turns
 * the weights into incentive, rank and emission. Two paces: the real one (a forward every 70 s per
 * validator, a tempo every 72 minutes) for soak runs, and a compressed one for the demo.
 */
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { Metagraph, Neuron } from '../../shared/domain/metagraph.js';
import { Emitter } from '../base/emitter.js';
import type { Logger } from '../log/log-service.js';
import { accuracy, confusion, mcc } from '../scoring/metrics.js';
import { DEV_VALIDATOR_URIS } from '../bittensor/dev-accounts.js';
import { signaturesReady } from '../bittensor/signature.js';
import { deriveSeed, Rng } from '../scenes/rng.js';
import type { ChallengeSource } from './challenge-source.js';
import { buildDendriteRequest } from '../bittensor/dendrite.js';
import { FORWARD_SECONDS, SAMPLE_SIZE, SCORE_ALPHA } from './score-ramp.js';
import { UidDeck } from './uid-deck.js';
import { MinerRecord } from './miner-record.js';
import { peerAnswer, type PeerMiner } from './peer-miners.js';
import { KAPPA, yumaConsensus } from './yuma.js';
import { errorMessage } from '../../shared/errors.js';

export interface LocalSubnetOptions {
  netuid: number;
  /** 1 to 5: //Alice … //Eve. */
  validators: number;
  peers: PeerMiner[];
  /** The operator's miner: its hotkey and where its axon listens. */
  miner: { hotkey: string; ip: string; port: number };
  source: ChallengeSource;
  seed: number;
  /** The dendrite timeout the validators send (StreetVision's: 9 s). */
  timeoutS?: number;
  /** Yuma's kappa: the live subnet's when it was read, else subtensor's default. */
  kappa?: number;
  log: Logger;
}

/** Our miner as the validators saw it. */
export interface LocalStanding {
  uid: number;
  /** 1 is the best miner; among miners only. */
  rank: number;
  miners: number;
  incentive: number;
  /** α per tempo. */
  emission: number;
  meanReward: number;
  mcc: number;
  accuracy: number;
  answers: number;
  failures: number;
}

/** What a tempo emits to miners: 360 blocks of 1 α, of which miners get 41%. */
const MINER_EMISSION_PER_TEMPO = 360 * 0.41;
const TEMPO_BLOCKS = 360;
const BLOCK_SECONDS = 12;
const VALIDATOR_STAKES = [400_000, 250_000, 150_000, 100_000, 50_000];

/** A tempo on the chain: 360 blocks of 12 s (72 minutes). */
export const TEMPO_SECONDS = TEMPO_BLOCKS * BLOCK_SECONDS;

/** How fast the local validators work. */
export interface SubnetPace {
  /** Every validator runs a forward this often (0: back to back). */
  roundIntervalMs: number;
  /** A tempo closes after this many rounds… */
  tempoRounds?: number;
  /** …or every this many milliseconds of the validators' clock (rounds × interval). */
  tempoMs?: number;
}

export type PaceName = 'real' | 'compressed';

export const PACES: Readonly<Record<PaceName, SubnetPace>> = {
  /** The demo's: a forward every 2 s from each validator, a tempo every 5 rounds (10 s). */
  compressed: { roundIntervalMs: 2000, tempoRounds: 5 },
  /** Mainnet's: a forward every 70 s from each validator, a tempo every 360 blocks × 12 s. */
  real: { roundIntervalMs: FORWARD_SECONDS * 1000, tempoMs: TEMPO_SECONDS * 1000 },
};

/** `real` or `compressed` from a command line; null for anything else. */
export function paceNamed(value: string): PaceName | null {
  return value === 'real' || value === 'compressed' ? value : null;
}

/** Whether a tempo closes once `rounds` rounds have run. */
export function tempoDue(pace: SubnetPace, rounds: number): boolean {
  if (pace.tempoMs !== undefined && pace.tempoMs > 0) {
    const turn = (r: number): number => Math.floor((r * pace.roundIntervalMs) / pace.tempoMs!);
    return turn(rounds) > turn(rounds - 1);
  }
  return rounds % Math.max(1, pace.tempoRounds ?? 1) === 0;
}

interface Validator {
  pair: KeyringPair;
  stake: number;
  rng: Rng;
  /** The serving miners, shuffled: whom its next forwards query. */
  deck: UidDeck;
  records: Map<number, MinerRecord>;
  scores: number[];
  forwards: number;
  /** How often its forwards queried our miner (twice in one forward counts twice). */
  ourQueries: number;
}

/** What our miner was judged on: the challenges it was sent, by where their images came from. */
export interface ImageOrigins {
  photo: number;
  generated: number;
}

export class LocalSubnet {
  private readonly validators: Validator[];
  private readonly ourUid: number;
  private readonly size: number;
  private incentive: number[];
  private emission: number[];
  private tempos = 0;
  private readonly ourPredictions: number[] = [];
  private readonly ourLabels: (0 | 1)[] = [];
  private ourRewards: number[] = [];
  private ourFailures = 0;
  private readonly ourOrigins: ImageOrigins = { photo: 0, generated: 0 };
  private readonly changes = new Emitter<Metagraph>();
  private metagraph: Metagraph;
  private loop: { stop: boolean; done: Promise<void> } | null = null;
  private wake: (() => void) | null = null;
  private readonly memberMap: ReadonlyMap<string, { uid: number; validatorPermit: boolean; stake: number }>;

  readonly onDidChange = this.changes.event;

  private constructor(private readonly options: LocalSubnetOptions) {
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const count = Math.min(Math.max(1, options.validators), DEV_VALIDATOR_URIS.length);
    this.ourUid = count;
    this.size = count + 1 + options.peers.length;
    // The deck holds the serving miners (natix's `is_serving`): ours and every peer with an axon.
    // A peer that serves nothing is never queried, so its score stays 0.
    const serving = [this.ourUid, ...options.peers.flatMap((peer, i) => (peer.serving ? [this.ourUid + 1 + i] : []))];
    this.validators = DEV_VALIDATOR_URIS.slice(0, count).map((uri, v) => {
      const rng = new Rng(deriveSeed(options.seed, 1000 + v));
      return {
        pair: keyring.addFromUri(uri),
        stake: VALIDATOR_STAKES[v]!,
        rng,
        deck: new UidDeck(() => serving, rng),
        records: new Map(),
        scores: [],
        forwards: 0,
        ourQueries: 0,
      };
    });
    for (const validator of this.validators) validator.scores = new Array<number>(this.size).fill(0);
    this.incentive = new Array<number>(this.size).fill(0);
    this.emission = new Array<number>(this.size).fill(0);
    this.metagraph = this.snapshot();
    this.memberMap = new Map(
      this.metagraph.neurons.map((n) => [n.hotkey, { uid: n.uid, validatorPermit: n.validatorPermit, stake: n.stake }]),
    );
  }

  static async create(options: LocalSubnetOptions): Promise<LocalSubnet> {
    await signaturesReady();
    return new LocalSubnet(options);
  }

  get current(): Metagraph {
    return this.metagraph;
  }

  /** The hotkeys registered here, with their standing: what the axon's blacklist asks. */
  get members(): ReadonlyMap<string, { uid: number; validatorPermit: boolean; stake: number }> {
    return this.memberMap;
  }

  /** One round: every validator (or those `which` picks, by index) runs one forward. */
  async round(which: (validator: number) => boolean = () => true): Promise<void> {
    await Promise.all(this.validators.filter((_, v) => which(v)).map((validator) => this.forward(validator)));
  }

  /** How often each validator has queried our miner so far. */
  ourQueries(): number[] {
    return this.validators.map((validator) => validator.ourQueries);
  }

  /** How many forwards each validator has run so far. */
  forwards(): number[] {
    return this.validators.map((validator) => validator.forwards);
  }

  /** Where the images our miner was sent came from. */
  ourImageOrigins(): ImageOrigins {
    return { ...this.ourOrigins };
  }

  /** Closes a tempo: weights from scores, consensus, incentive and emission. */
  closeTempo(): Metagraph {
    const weights = this.validators.map((validator) => {
      const scores = validator.scores.map((score, uid) => (uid < this.validators.length ? 0 : score));
      const total = scores.reduce((sum, score) => sum + score, 0);
      return scores.map((score) => (total > 0 ? score / total : 0));
    });
    const { incentive } = yumaConsensus(
      weights,
      this.validators.map((validator) => validator.stake),
      this.options.kappa,
    );
    this.incentive = incentive;
    this.emission = incentive.map((share) => share * MINER_EMISSION_PER_TEMPO);
    this.tempos++;
    this.metagraph = this.snapshot();
    this.changes.fire(this.metagraph);
    return this.metagraph;
  }

  standing(): LocalStanding {
    const minerUids = this.metagraph.neurons.filter((n) => !n.validatorPermit).map((n) => n.uid);
    const ours = this.incentive[this.ourUid]!;
    const better = minerUids.filter((uid) => uid !== this.ourUid && this.incentive[uid]! > ours).length;
    const seen = confusion(this.ourPredictions, this.ourLabels);
    return {
      uid: this.ourUid,
      rank: better + 1,
      miners: minerUids.length,
      incentive: ours,
      emission: this.emission[this.ourUid]!,
      meanReward: this.ourRewards.length ? this.ourRewards.reduce((a, b) => a + b, 0) / this.ourRewards.length : 0,
      mcc: mcc(seen),
      accuracy: accuracy(seen),
      answers: this.ourPredictions.length,
      failures: this.ourFailures,
    };
  }

  /** Runs rounds at `pace` and closes tempos as it says, until stopped. */
  start(pace: SubnetPace): void {
    if (this.loop) return;
    const intervalMs = pace.roundIntervalMs;
    const loop = { stop: false, done: Promise.resolve() };
    loop.done = (async () => {
      let rounds = 0;
      // Validators query on their own clock: the first challenge comes one interval after start.
      let next = Date.now() + intervalMs;
      while (!loop.stop) {
        await this.sleepUntil(next, loop);
        if (loop.stop) break;
        next += intervalMs;
        try {
          await this.round();
          if (tempoDue(pace, ++rounds)) this.closeTempo();
        } catch (error) {
          this.options.log.error(`A local validator round failed: ${errorMessage(error)}`);
        }
        next = Math.max(next, Date.now());
      }
    })();
    this.loop = loop;
  }

  async stop(): Promise<void> {
    const loop = this.loop;
    this.loop = null;
    if (!loop) return;
    loop.stop = true;
    this.wake?.();
    await loop.done;
  }

  /** Sleeps until `time`, or until stopped. */
  private sleepUntil(time: number, loop: { stop: boolean }): Promise<void> {
    if (loop.stop) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake?.(), Math.max(0, time - Date.now()));
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }

  dispose(): Promise<void> {
    return this.stop().finally(() => this.changes.dispose());
  }

  /**
   * One forward (natix's forward.py): one challenge sent to the next 10 uids of the validator's
   * deck; each answer goes into that miner's record, and only those miners' scores move.
   */
  private async forward(validator: Validator): Promise<void> {
    const uids = validator.deck.next(SAMPLE_SIZE);
    validator.forwards++;
    if (uids.length === 0) return;
    const challenge = await this.options.source.next(validator.rng);
    const { jpeg, label } = challenge;
    // Sent to all at once; a uid dealt twice is asked twice.
    const askedOurs = uids.filter((uid) => uid === this.ourUid).map(() => this.askOurMiner(validator, jpeg));
    const ourAnswers = await Promise.all(askedOurs);
    const timeoutMs = (this.options.timeoutS ?? 9) * 1000;
    const answers = uids.map((uid) =>
      uid === this.ourUid ? ourAnswers.shift()! : peerAnswer(this.peerOf(uid), label, validator.rng, timeoutMs),
    );
    const rewards = uids.map((uid, i) => this.remember(validator, uid, answers[i]!, label));
    // natix's `scores[uids] = rewards`: a uid dealt twice keeps its last reward; then one EMA step.
    const last = new Map<number, number>();
    uids.forEach((uid, i) => last.set(uid, rewards[i]!));
    for (const [uid, reward] of last)
      validator.scores[uid] = SCORE_ALPHA * reward + (1 - SCORE_ALPHA) * validator.scores[uid]!;
    uids.forEach((uid, i) => {
      if (uid !== this.ourUid) return;
      this.noteOurAnswer(answers[i]!, label, rewards[i]!);
      validator.ourQueries++;
      this.ourOrigins[challenge.origin]++;
    });
  }

  private peerOf(uid: number): PeerMiner {
    return this.options.peers[uid - this.ourUid - 1]!;
  }

  private noteOurAnswer(prediction: number, label: 0 | 1, reward: number): void {
    if (prediction < 0) this.ourFailures++;
    else {
      this.ourPredictions.push(prediction);
      this.ourLabels.push(label);
    }
    this.ourRewards.push(reward);
  }

  /** The answer into the validator's record of the miner; its reward. */
  private remember(validator: Validator, uid: number, prediction: number, label: 0 | 1): number {
    let record = validator.records.get(uid);
    if (!record) validator.records.set(uid, (record = new MinerRecord()));
    return record.reward(prediction, label);
  }

  /** Our miner's answer over HTTP, as a Python validator asks: -1 when there is none. */
  private async askOurMiner(validator: Validator, jpeg: Buffer): Promise<number> {
    const { miner } = this.options;
    const timeoutS = this.options.timeoutS ?? 9;
    const request = buildDendriteRequest(
      validator.pair,
      { ip: miner.ip, port: miner.port, hotkey: miner.hotkey },
      {
        synapseName: 'ImageSynapse',
        timeoutS,
        fields: { image: jpeg.toString('base64'), prediction: -1, testnet_label: -1 },
      },
    );
    try {
      const response = await fetch(request.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(timeoutS * 1000),
      });
      if (response.status !== 200) {
        await response.body?.cancel();
        return -1;
      }
      const body = (await response.json()) as { prediction?: unknown };
      return typeof body.prediction === 'number' ? body.prediction : -1;
    } catch {
      return -1;
    }
  }

  private snapshot(): Metagraph {
    const neuron = (uid: number, hotkey: string, validatorPermit: boolean, stake: number): Neuron => ({
      uid,
      hotkey,
      coldkey: hotkey,
      active: true,
      validatorPermit,
      stake,
      incentive: this.incentive[uid] ?? 0,
      consensus: 0,
      dividends: validatorPermit ? stake / this.validators.reduce((sum, v) => sum + v.stake, 0) : 0,
      trust: 0,
      rank: 0,
      emission: this.emission[uid] ?? 0,
      lastUpdate: this.tempos * TEMPO_BLOCKS,
      registeredAt: 0,
      axon: uid === this.ourUid ? { ip: this.options.miner.ip, port: this.options.miner.port } : null,
    });
    return {
      netuid: this.options.netuid,
      block: this.tempos * TEMPO_BLOCKS,
      tempo: TEMPO_BLOCKS,
      immunityPeriod: 5000,
      burn: 0,
      maxUids: 256,
      alphaPrice: null,
      // Its own rules: Yuma's kappa, weights set in the open, uncapped, and no validator dropped as inactive.
      params: {
        kappa: this.options.kappa ?? KAPPA,
        commitRevealEnabled: false,
        commitRevealPeriod: null,
        maxWeightsLimit: 1,
        activityCutoff: null,
      },
      neurons: [
        ...this.validators.map((v, uid) => neuron(uid, v.pair.address, true, v.stake)),
        neuron(this.ourUid, this.options.miner.hotkey, false, 0),
        ...this.options.peers.map((peer, i) => neuron(this.ourUid + 1 + i, peer.hotkey, false, 0)),
      ],
      // Computed by neither the chain today nor this subnet.
      deprecatedEmpty: ['trust', 'rank'],
    };
  }
}
