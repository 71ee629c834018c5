/**
 * A StreetVision subnet on the operator's own machine. Local validators (substrate's development
 * accounts, with stake) send labelled images to the operator's axon over real HTTP with real
 * signatures, score every answer with the subnet's reward, and score a field of simulated peers
 * on the same images. Each tempo (seconds here, not 72 minutes) their moving-average scores
 * become weights, and Yuma consensus turns the weights into incentive, rank and emission.
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

/** The validators' moving average: scores = 0.05·reward + 0.95·scores. */
const SCORE_ALPHA = 0.05;
/** What a tempo emits to miners: 360 blocks of 1 α, of which miners get 41%. */
const MINER_EMISSION_PER_TEMPO = 360 * 0.41;
const TEMPO_BLOCKS = 360;
const VALIDATOR_STAKES = [400_000, 250_000, 150_000, 100_000, 50_000];

interface Validator {
  pair: KeyringPair;
  stake: number;
  rng: Rng;
  records: Map<number, MinerRecord>;
  scores: number[];
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
  private readonly changes = new Emitter<Metagraph>();
  private metagraph: Metagraph;
  private loop: { stop: boolean; done: Promise<void> } | null = null;
  private wake: (() => void) | null = null;
  private readonly memberMap: ReadonlyMap<string, { uid: number; validatorPermit: boolean; stake: number }>;

  readonly onDidChange = this.changes.event;

  private constructor(private readonly options: LocalSubnetOptions) {
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const count = Math.min(Math.max(1, options.validators), DEV_VALIDATOR_URIS.length);
    this.validators = DEV_VALIDATOR_URIS.slice(0, count).map((uri, v) => ({
      pair: keyring.addFromUri(uri),
      stake: VALIDATOR_STAKES[v]!,
      rng: new Rng(deriveSeed(options.seed, 1000 + v)),
      records: new Map(),
      scores: [],
    }));
    this.ourUid = count;
    this.size = count + 1 + options.peers.length;
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

  /** One round: every validator sends one challenge to every miner and scores the answers. */
  async round(): Promise<void> {
    await Promise.all(this.validators.map((validator) => this.challenge(validator)));
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

  /** Runs rounds every `intervalMs` and closes a tempo every `tempoRounds` rounds, until stopped. */
  start(intervalMs: number, tempoRounds: number): void {
    if (this.loop) return;
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
          if (++rounds % tempoRounds === 0) this.closeTempo();
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

  private async challenge(validator: Validator): Promise<void> {
    const { jpeg, label } = await this.options.source.next(validator.rng);
    const ours = await this.askOurMiner(validator, jpeg);
    const rewardOurs = this.score(validator, this.ourUid, ours, label);
    if (ours < 0) this.ourFailures++;
    else {
      this.ourPredictions.push(ours);
      this.ourLabels.push(label);
    }
    this.ourRewards.push(rewardOurs);
    this.options.peers.forEach((peer, i) =>
      this.score(
        validator,
        this.ourUid + 1 + i,
        peerAnswer(peer, label, validator.rng, (this.options.timeoutS ?? 9) * 1000),
        label,
      ),
    );
  }

  private score(validator: Validator, uid: number, prediction: number, label: 0 | 1): number {
    let record = validator.records.get(uid);
    if (!record) validator.records.set(uid, (record = new MinerRecord()));
    const reward = record.reward(prediction, label);
    validator.scores[uid] = SCORE_ALPHA * reward + (1 - SCORE_ALPHA) * validator.scores[uid]!;
    return reward;
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
        kappa: KAPPA,
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
