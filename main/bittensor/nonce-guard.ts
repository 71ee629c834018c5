/**
 * Replay protection as the Python axon does it, with bounded memory: per (dendrite hotkey, uuid),
 * the first nonce must be recent (newer than now − 4 s − the request's timeout) and each later one
 * strictly greater than the last accepted. A nonce is remembered only once a request verified.
 */
export const ALLOWED_DELTA_NS = 4_000_000_000n;

export type NonceVerdict = { ok: true } | { ok: false; reason: string };

export class NonceGuard {
  private readonly last = new Map<string, bigint>();

  constructor(private readonly maxKeys = 50_000) {}

  check(key: string, nonce: bigint, timeoutS: number, nowNs: bigint = nowNanoseconds()): NonceVerdict {
    const previous = this.last.get(key);
    if (previous !== undefined) {
      return nonce > previous
        ? { ok: true }
        : { ok: false, reason: 'nonce is not newer than the last one seen from this dendrite' };
    }
    const oldest = nowNs - ALLOWED_DELTA_NS - BigInt(Math.round(timeoutS * 1e9));
    return nonce > oldest ? { ok: true } : { ok: false, reason: 'nonce is too old' };
  }

  accept(key: string, nonce: bigint): void {
    // Re-inserting moves the key to the end: the map's order is least recently used first.
    this.last.delete(key);
    this.last.set(key, nonce);
    if (this.last.size > this.maxKeys) {
      const oldestKey = this.last.keys().next().value;
      if (oldestKey !== undefined) this.last.delete(oldestKey);
    }
  }

  get size(): number {
    return this.last.size;
  }
}

export function nowNanoseconds(): bigint {
  return BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
}
