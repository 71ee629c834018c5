/**
 * Alerts about our standing on the subnet, built on the metagraph's own standing alerts
 * (main/chain/standing-alerts.ts): a rank drop holds until the rank is back where it fell from;
 * deregistration risk and an axon advertised elsewhere hold for as long as the reading says so.
 */
import type { MetagraphView, StandingAlert } from '../../shared/domain/metagraph.js';
import { AT_RISK_PLACES } from '../chain/standing.js';
import { axonMismatch, bottomDecileWithoutImmunity } from '../chain/standing-alerts.js';
import type { Condition } from './alert-store.js';

export interface RankDropData {
  /** The rank before the fall: the alert clears once we are back there or better. */
  from: number;
}

export interface StandingReading {
  view: MetagraphView;
  /** Standing alerts the metagraph raised with this reading. */
  raised: StandingAlert[];
  /** Our rank at the reading before, when there was one. */
  previousRank: number | null;
  /** An active rank-drop alert's data, from before this reading (or before a restart). */
  rankDrop: RankDropData | null;
  /** Where the axon serves as validators should reach it; null when unknown. */
  servingAt: { ip: string; port: number } | null;
}

export function standingConditions(reading: StandingReading): Condition[] {
  const { view } = reading;
  const standing = view.standing;
  if (!standing || !view.metagraph || !view.ourHotkey) return [];
  const conditions: Condition[] = [];
  const drop = reading.raised.find((alert) => alert.kind === 'rank-drop');
  const from = reading.rankDrop?.from ?? (drop && reading.previousRank !== null ? reading.previousRank : null);
  if (from !== null && standing.rank > from) {
    const data: RankDropData = { from };
    conditions.push({
      key: 'rank-drop',
      kind: 'rank-drop',
      severity: 'warning',
      message: drop?.message ?? `Rank fell from ${from} to ${standing.rank} of ${standing.miners} miners.`,
      data,
    });
  }
  if (standing.deregistration === 'at-risk' || bottomDecileWithoutImmunity(standing)) {
    const raised = reading.raised.find((alert) => alert.kind === 'immunity-ended-low');
    conditions.push({
      key: `deregistration-risk:${standing.uid}`,
      kind: 'deregistration-risk',
      severity: 'critical',
      message:
        raised?.message ??
        (standing.deregistration === 'at-risk'
          ? `uid ${standing.uid} is among the ${AT_RISK_PLACES} non-immune uids with the lowest emission (${standing.prunedBeforeUs} would be pruned before it): the next registration may deregister it.`
          : `uid ${standing.uid} has no immunity left and is in the bottom decile (${standing.percentile.toFixed(0)}th percentile): the next registrations may prune it.`),
    });
  }
  const mismatch = axonMismatch(view.metagraph, view.ourHotkey, reading.servingAt, standing.uid);
  if (mismatch)
    conditions.push({ key: 'axon-mismatch', kind: 'axon-mismatch', severity: 'warning', message: mismatch });
  return conditions;
}
