/**
 * Admits requests by priority (the caller's stake): up to `concurrency` run at once, up to
 * `queueLimit` wait. When the queue is full the lowest priority waiting, or the newcomer if it
 * is lower still, is refused at once (503). A request that waits past its deadline gets 408.
 */
export class GateRefusal extends Error {
  constructor(
    readonly status: 503 | 408,
    message: string,
  ) {
    super(message);
  }
}

interface Waiter {
  priority: number;
  order: number;
  resolve(release: () => void): void;
  reject(error: GateRefusal): void;
  timer: ReturnType<typeof setTimeout>;
}

export class PriorityGate {
  private running = 0;
  private readonly waiting: Waiter[] = [];
  private order = 0;

  constructor(
    private readonly concurrency: number,
    private readonly queueLimit: number,
  ) {}

  acquire(priority: number, maxWaitMs: number): Promise<() => void> {
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve(this.releaser());
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
        order: this.order++,
        resolve,
        reject,
        timer: setTimeout(
          () => {
            this.remove(waiter);
            reject(new GateRefusal(408, 'the request timed out waiting for its turn'));
          },
          Math.max(0, maxWaitMs),
        ),
      };
      this.waiting.push(waiter);
    });
  }

  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.highestWaiting();
      if (next) {
        this.remove(next);
        next.resolve(this.releaser());
      } else {
        this.running--;
      }
    };
  }

  private highestWaiting(): Waiter | undefined {
    return this.waiting.reduce<Waiter | undefined>(
      (best, w) =>
        !best || w.priority > best.priority || (w.priority === best.priority && w.order < best.order) ? w : best,
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
    const index = this.waiting.indexOf(waiter);
    if (index >= 0) this.waiting.splice(index, 1);
  }
}
