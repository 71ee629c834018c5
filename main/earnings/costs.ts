/** The operator's costs per day, by item, from the settings' economics section. */
import type { DailyCosts, EconomicsSettings } from '../../shared/domain/earnings.js';
import { electricityPerDay, monthlyPerDay, rentPerDay } from './units.js';

export function dailyCosts(economics: EconomicsSettings): DailyCosts {
  const inferenceGpu = rentPerDay(economics.inferenceGpu);
  const trainingGpu = rentPerDay(economics.trainingGpu);
  const electricity = electricityPerDay(economics.electricityUsdPerKwh, economics.watts, economics.hoursPerDay);
  const other = monthlyPerDay(economics.otherUsdPerMonth);
  return { inferenceGpu, trainingGpu, electricity, other, total: inferenceGpu + trainingGpu + electricity + other };
}
