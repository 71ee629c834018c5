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
  if (previous && previous.immunityBlocksLeft > 0 && current.immunityBlocksLeft === 0 && current.percentile <= 10) {
    alert(
      'immunity-ended-low',
      `Immunity is over and uid ${current.uid} is in the bottom decile (${current.percentile.toFixed(0)}th percentile): the next registrations may prune it.`,
    );
  }
  const advertised = metagraph.neurons.find((n) => n.hotkey === inputs.ourHotkey)?.axon ?? null;
  const serving = inputs.servingAt;
  if (serving && (!advertised || advertised.ip !== serving.ip || advertised.port !== serving.port)) {
    alert(
      'axon-mismatch',
      `The chain advertises ${advertised ? `${advertised.ip}:${advertised.port}` : 'no axon'} for uid ${current.uid}, but it serves at ${serving.ip}:${serving.port}: validators cannot reach it.`,
    );
  }
  return alerts;
}
