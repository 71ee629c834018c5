/**
 * Which miners a validator's forward queries, as natix's `UIDDeck.next_k` draws them: the
 * eligible (serving) uids shuffled into a deck, dealt from a cursor `sampleSize` at a time, and
 * rebuilt and reshuffled whenever it runs out, even in the middle of a draw. So over one pass of
 * the deck every eligible miner is queried exactly once; a miner dealt at the end of one deck can
 * be dealt again at the start of the next in the same forward (the validators then query it twice).
 */
import type { Rng } from '../scenes/rng.js';
import { SAMPLE_SIZE } from './score-ramp.js';

export class UidDeck {
  private deck: number[] = [];
  private cursor = 0;

  /** `eligible`: the uids a validator may query now, asked again at every rebuild and every draw. */
  constructor(
    private readonly eligible: () => readonly number[],
    private readonly rng: Rng,
  ) {}

  /** The next `k` uids; fewer eligible than `k` deals some twice, none eligible deals nothing. */
  next(k = SAMPLE_SIZE): number[] {
    const drawn: number[] = [];
    while (drawn.length < k) {
      if (this.cursor >= this.deck.length) {
        this.deck = shuffled(this.eligible(), this.rng);
        this.cursor = 0;
        if (this.deck.length === 0) break;
      }
      const uid = this.deck[this.cursor++]!;
      // A uid that stopped serving since the deck was built is passed over, as natix re-checks it.
      if (this.eligible().includes(uid)) drawn.push(uid);
    }
    return drawn;
  }
}

/** Fisher–Yates with the validator's own generator. */
function shuffled(uids: readonly number[], rng: Rng): number[] {
  const deck = [...uids];
  for (let i = deck.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [deck[i], deck[j]] = [deck[j]!, deck[i]!];
  }
  return deck;
}
