/**
 * Thumbnails for the cards on screen, asked for in batches (one request per burst of new cards,
 * not one per card) and kept for cards scrolled past, up to a bound.
 */
import type { OperatorClient } from '../../shared/client.js';

const KEPT = 4000;
const BATCH = 200;

type Listener = (src: string | null) => void;

export class ThumbnailLoader {
  private readonly cache = new Map<string, string | null>();
  private readonly waiting = new Map<string, Set<Listener>>();
  private queued = new Set<string>();
  private scheduled = false;

  constructor(private readonly client: OperatorClient) {}

  cached(hash: string): string | null | undefined {
    return this.cache.get(hash);
  }

  /** Calls back once the thumbnail is known; returns a function that stops listening. */
  request(hash: string, listener: Listener): () => void {
    const known = this.cache.get(hash);
    if (known !== undefined) {
      listener(known);
      return () => undefined;
    }
    const listeners = this.waiting.get(hash) ?? new Set();
    listeners.add(listener);
    this.waiting.set(hash, listeners);
    this.queued.add(hash);
    if (!this.scheduled) {
      this.scheduled = true;
      setTimeout(() => this.flush(), 0);
    }
    return () => listeners.delete(listener);
  }

  private flush(): void {
    this.scheduled = false;
    // Only what someone still waits for: cards scrolled past before the batch left are skipped.
    const hashes = [...this.queued].filter((hash) => (this.waiting.get(hash)?.size ?? 0) > 0);
    this.queued = new Set();
    for (let i = 0; i < hashes.length; i += BATCH) {
      const batch = hashes.slice(i, i + BATCH);
      this.client.call('hardcases.thumbnails', { hashes: batch }).then(
        (found) => {
          for (const hash of batch) this.settle(hash, found[hash] ?? null);
        },
        () => {
          // Left unknown, so a later render asks again.
          for (const hash of batch) this.waiting.delete(hash);
        },
      );
    }
  }

  private settle(hash: string, src: string | null): void {
    this.cache.set(hash, src);
    if (this.cache.size > KEPT) this.cache.delete(this.cache.keys().next().value!);
    for (const listener of this.waiting.get(hash) ?? []) listener(src);
    this.waiting.delete(hash);
  }
}
