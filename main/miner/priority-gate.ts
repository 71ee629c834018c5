/**
 * Admits requests by priority (the caller's stake): up to `concurrency` run at once, up to
 * `queueLimit` wait. When the queue is full the lowest priority waiting, or the newcomer if it
 * is lower still, is refused at once (503). A request that waits past its deadline gets 408.
 *
 * One caller (`key`: a validator's hotkey) holds at most `perKeyLimit` slots; its further requests
 * wait and leave the other slots to other callers. A waiter whose `signal` aborts (its client went
 * away) leaves the queue at once: a slot handed to a request nobody waits for would never come back.
 */
export class GateRefusal extends Error {
  constructor(
    readonly status: 503 | 408,
    message: string,
  ) {
    super(message);
  }
}

export interface GateClaim {
  priority: number;
  /** Who asks: no key holds more than `perKeyLimit` slots. */
  key: string;
  maxWaitMs: number;
  /** Aborted when the request is given up: a waiter leaves the queue, rejected with the signal's reason. */
  signal?: AbortSignal;
}

interface Waiter {
  priority: number;
  key: string;
  order: number;
  resolve(release: () => void): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

export class PriorityGate {
  private running = 0;
  private readonly held = new Map<string, number>();
  private readonly waiting: Waiter[] = [];
  private order = 0;

  constructor(
    private readonly concurrency: number,
    private readonly queueLimit: number,
    private readonly perKeyLimit = concurrency,
  ) {}

  acquire(claim: GateClaim): Promise<() => void> {
    const { priority, key, signal } = claim;
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.running < this.concurrency && this.heldBy(key) < this.perKeyLimit) {
      this.running++;
      return Promise.resolve(this.take(key));
    }
    return new Promise((resolve, reject) => {
      if (this.waiting.length >= this.queueLimit) {
        const lowest = this.lowestWaiting();
        if (!lowest || lowest.priority >= priority) {
          reject(new GateRefusal(503, 'the axon is busy with higher-priority requests'));
          return;
        }
        this.remove(lowest);
        lowest.reject(new GateRefusal(503, 'the axon is busy with higher-priority requests'));
      }
      const waiter: Waiter = {
        priority,
        key,
        order: this.order++,
        resolve,
        reject,
        signal,
        timer: setTimeout(
          () => {
            this.remove(waiter);
            reject(new GateRefusal(408, 'the request timed out waiting for its turn'));
          },
          Math.max(0, claim.maxWaitMs),
        ),
        onAbort: () => {
          this.remove(waiter);
          if (signal) reject(abortReason(signal));
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  private heldBy(key: string): number {
    return this.held.get(key) ?? 0;
  }

  /** Counts a slot as `key`'s and returns its one-time release. */
  private take(key: string): () => void {
    this.held.set(key, this.heldBy(key) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = this.heldBy(key) - 1;
      if (left > 0) this.held.set(key, left);
      else this.held.delete(key);
      // The slot passes to the best waiter whose caller is under its limit, or is freed.
      const next = this.highestEligible();
      if (next) {
        this.remove(next);
        next.resolve(this.take(next.key));
      } else {
        this.running--;
      }
    };
  }

  private highestEligible(): Waiter | undefined {
    return this.waiting.reduce<Waiter | undefined>(
      (best, w) =>
        this.heldBy(w.key) < this.perKeyLimit &&
        (!best || w.priority > best.priority || (w.priority === best.priority && w.order < best.order))
          ? w
          : best,
      undefined,
    );
  }

  private lowestWaiting(): Waiter | undefined {
    return this.waiting.reduce<Waiter | undefined>(
      (worst, w) =>
        !worst || w.priority < worst.priority || (w.priority === worst.priority && w.order > worst.order) ? w : worst,
      undefined,
    );
  }

  private remove(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    waiter.signal?.removeEventListener('abort', waiter.onAbort);
    const index = this.waiting.indexOf(waiter);
    if (index >= 0) this.waiting.splice(index, 1);
  }
}

/** Why a request was given up, as its signal says (an Error, as the gate's other rejections). */
function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error('the request was given up');
}
