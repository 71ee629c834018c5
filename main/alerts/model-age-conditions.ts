/**
 * The live model's age: the subnet's announced reward window counts from its publication (full
 * reward to day 45, none from day 90). Day 60 and 75 warn; day 90 is critical. Each step is its
 * own alert, so reaching day 75 resolves day 60's and raises one anew.
 */
import { modelAge, type ModelRegistryView, ZERO_REWARD_DAYS } from '../../shared/domain/model-registry.js';
import type { Condition } from './alert-store.js';

export function modelAgeConditions(registry: ModelRegistryView, now: Date): Condition[] {
  const live = registry.models.find((model) => model.id === registry.liveId);
  if (!live?.publishedAt) return [];
  const age = modelAge(live.publishedAt, now);
  if (age.warning === 'none') return [];
  const days = age.daysSincePublication;
  const message =
    age.warning === 'expired'
      ? `The live model ${live.id} was published ${days} days ago: past day ${ZERO_REWARD_DAYS} it earns no reward. Publish and deploy a new one.`
      : `The live model ${live.id} was published ${days} days ago: its reward is down to ${Math.round(age.rewardFactor * 100)} % and reaches zero at day ${ZERO_REWARD_DAYS} (in ${ZERO_REWARD_DAYS - days} days).`;
  return [
    {
      key: `model-age:${live.id}:${age.warning}`,
      kind: 'model-age',
      severity: age.warning === 'expired' ? 'critical' : 'warning',
      message,
    },
  ];
}
