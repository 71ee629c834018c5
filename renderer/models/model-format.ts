/** How the Models page words and colours a model's numbers. */
import type { AgeWarning, ModelAge, ModelOrigin } from '../../shared/domain/model-registry.js';

export function describeOrigin(origin: ModelOrigin): string {
  switch (origin.kind) {
    case 'shipped':
      return 'Shipped default';
    case 'trained':
      return `Trained by run ${origin.runId} on ${origin.hostId}`;
    case 'imported':
      return `Imported from ${origin.dir}`;
  }
}

export const AGE_WARNINGS: Record<AgeWarning, string | null> = {
  none: null,
  day60: 'Day 60: reward falling, publish a successor',
  day75: 'Day 75: a third of the reward left',
  expired: 'Day 90: no reward',
};

export function describeAge(age: ModelAge | null): string {
  if (!age) return 'Not published';
  const left = age.fullRewardDaysLeft > 0 ? `${age.fullRewardDaysLeft} d of full reward left` : 'full reward over';
  return `Day ${age.daysSincePublication}: ${left}, reward ×${age.rewardFactor.toFixed(2)}`;
}

/** `higherIsBetter` false for latency and rank. */
export function differenceClass(candidate: number, live: number, higherIsBetter = true): string {
  const difference = higherIsBetter ? candidate - live : live - candidate;
  if (Math.abs(difference) < 1e-9) return 'diff-same';
  return difference > 0 ? 'diff-better' : 'diff-worse';
}

export function signed(value: number, digits: number): string {
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(digits)}`;
}
