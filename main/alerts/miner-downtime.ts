/**
 * The miner across restarts of the console or the rig: where it was serving (to serve there
 * again on start, when the settings still name that network), and how long it was down when the
 * console went away without a clean close. The facts live in the alert store's memory.
 */
import { NetworkSchema, type Network, type Settings } from '../../shared/domain/settings.js';
import type { Condition } from './alert-store.js';

/** Where the miner last served, kept until the operator stops it. */
export interface ServedOn {
  network: Network;
  netuid: number;
}

export function parseServedOn(text: string | null): ServedOn | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<ServedOn>;
    const network = NetworkSchema.safeParse(value.network);
    return network.success && typeof value.netuid === 'number' ? { network: network.data, netuid: value.netuid } : null;
  } catch {
    return null;
  }
}

/**
 * Whether a console starting now serves again by itself: the operator left it on, and the
 * settings name the network it served on. A run of `npm run mine` on another network (its flags
 * apply to that run only) is not resumed by a console whose settings name this one.
 */
export function resumesOn(servedOn: ServedOn | null, settings: Settings): boolean {
  return (
    settings.mining.resumeOnStart &&
    servedOn !== null &&
    servedOn.network === settings.chain.network &&
    servedOn.netuid === settings.chain.netuid
  );
}

/**
 * The alert for a downtime that is already over: it stays until acknowledged. `from` is the
 * last time the miner was known to serve (its heartbeat), null when nothing recorded it.
 */
export function downtimeCondition(from: Date | null, to: Date, resumedByItself: boolean): Condition {
  const span = from
    ? `for ${duration(to.getTime() - from.getTime())} (from ${clock(from, to)} to ${clock(to, from)})`
    : `until ${clock(to, to)} (since when is not known)`;
  const back = resumedByItself ? 'and resumed by itself' : 'until it was started again';
  return {
    key: `miner-downtime:${to.toISOString()}`,
    kind: 'miner-downtime',
    severity: 'warning',
    message: `The miner was down ${span} ${back}: the console or the rig went away without a clean shutdown, and validators got no answers meanwhile.`,
  };
}

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.round(hours / 24)} days`;
}

/** The local time of day; with the date when the other end of the span is on another day. */
function clock(time: Date, other: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const hm = `${pad(time.getHours())}:${pad(time.getMinutes())}`;
  return time.toDateString() === other.toDateString()
    ? hm
    : `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())} ${hm}`;
}
