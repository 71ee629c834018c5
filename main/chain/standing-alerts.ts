/**
 * Alerts worth an operator's attention, from one metagraph reading to the next: our rank fell by
 * more than a few places; immunity ran out while we sit in the bottom decile; the chain advertises
 * our axon somewhere other than where it serves. Rank and immunity alerts fire on the reading that
 * crosses the line; the axon alert holds for as long as the mismatch does (the caller repeats it
 * only when it starts).
 */
import type { Metagraph, Standing, StandingAlert } from '../../shared/domain/metagraph.js';

export interface AlertInputs {
  previous: Standing | null;
  current: Standing;
  metagraph: Metagraph;
  ourHotkey: string;
  /** Where the axon serves, as validators should reach it; null when unknown (no public IP set). */
  servingAt: { ip: string; port: number } | null;
  rankDropPlaces: number;
}

export function standingAlerts(inputs: AlertInputs): StandingAlert[] {
  const { previous, current, metagraph } = inputs;
  const time = new Date().toISOString();
  const alerts: StandingAlert[] = [];
  const alert = (kind: StandingAlert['kind'], message: string): void => {
    alerts.push({ kind, message, time, block: metagraph.block });
  };
  if (previous && current.rank - previous.rank > inputs.rankDropPlaces) {
    alert('rank-drop', `Rank fell from ${previous.rank} to ${current.rank} of ${current.miners} miners.`);
  }
  if (previous && previous.immunityBlocksLeft > 0 && bottomDecileWithoutImmunity(current)) {
    alert(
      'immunity-ended-low',
      `Immunity is over and uid ${current.uid} is in the bottom decile (${current.percentile.toFixed(0)}th percentile): the next registrations may prune it.`,
    );
  }
  const mismatch = axonMismatch(metagraph, inputs.ourHotkey, inputs.servingAt, current.uid);
  if (mismatch) alert('axon-mismatch', mismatch);
  return alerts;
}

/** Immunity is over and we sit in the bottom decile: the next registrations may prune us. */
export function bottomDecileWithoutImmunity(standing: Standing): boolean {
  return standing.immunityBlocksLeft === 0 && standing.percentile <= 10;
}

/** What the chain advertises for our hotkey's axon (null: none yet). */
export function advertisedAxon(metagraph: Metagraph, ourHotkey: string): { ip: string; port: number } | null {
  return metagraph.neurons.find((n) => n.hotkey === ourHotkey)?.axon ?? null;
}

/** Why validators cannot reach the axon where it serves, or null when the chain advertises it right. */
export function axonMismatch(
  metagraph: Metagraph,
  ourHotkey: string,
  serving: { ip: string; port: number } | null,
  uid: number,
): string | null {
  const advertised = advertisedAxon(metagraph, ourHotkey);
  if (!serving || (advertised && advertised.ip === serving.ip && advertised.port === serving.port)) return null;
  return `The chain advertises ${advertised ? `${advertised.ip}:${advertised.port}` : 'no axon'} for uid ${uid}, but it serves at ${serving.ip}:${serving.port}: validators cannot reach it.`;
}
