/**
 * The operator's standing in a metagraph: rank among miners by incentive, emission per day, and
 * deregistration risk. Registration prunes the non-immune uid with the lowest emission (ties: the
 * oldest registration) since the chain stopped computing pruning scores, so that is the order used.
 */
import type { Metagraph, Neuron, Standing } from '../../shared/domain/metagraph.js';

const BLOCKS_PER_DAY = 7200;
/** Among the lowest this many non-immune miners, a uid is at risk at the next registration burst. */
export const AT_RISK_PLACES = 3;

export function standingOf(metagraph: Metagraph, hotkey: string): Standing | null {
  const ours = metagraph.neurons.find((neuron) => neuron.hotkey === hotkey);
  if (!ours) return null;
  const miners = metagraph.neurons.filter((neuron) => !neuron.validatorPermit || neuron.uid === ours.uid);
  const better = miners.filter((neuron) => neuron.incentive > ours.incentive).length;
  const atOrBelow = miners.filter((neuron) => neuron.incentive <= ours.incentive).length;
  const temposPerDay = BLOCKS_PER_DAY / (metagraph.tempo + 1);
  const emissionPerDayAlpha = ours.emission * temposPerDay;
  const immunityBlocksLeft = immunityLeft(ours, metagraph);
  const pruneOrder = metagraph.neurons
    .filter((neuron) => immunityLeft(neuron, metagraph) === 0)
    .sort((a, b) => a.emission - b.emission || a.registeredAt - b.registeredAt);
  const position = pruneOrder.findIndex((neuron) => neuron.uid === ours.uid);
  return {
    uid: ours.uid,
    rank: better + 1,
    miners: miners.length,
    percentile: (100 * atOrBelow) / miners.length,
    incentive: ours.incentive,
    trust: ours.trust,
    emissionPerDayAlpha,
    emissionPerDayTao: metagraph.alphaPrice === null ? null : emissionPerDayAlpha * metagraph.alphaPrice,
    blocksSinceUpdate: Math.max(0, metagraph.block - ours.lastUpdate),
    immunityBlocksLeft,
    deregistration: position < 0 ? 'immune' : position < AT_RISK_PLACES ? 'at-risk' : 'safe',
    prunedBeforeUs: Math.max(0, position),
  };
}

function immunityLeft(neuron: Neuron, metagraph: Metagraph): number {
  return Math.max(0, neuron.registeredAt + metagraph.immunityPeriod - metagraph.block);
}
