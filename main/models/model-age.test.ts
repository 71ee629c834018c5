import { describe, expect, it } from 'vitest';
import { modelAge } from '../../shared/domain/model-registry.js';

const PUBLISHED = '2026-03-01T12:00:00.000Z';
const onDay = (days: number) => modelAge(PUBLISHED, new Date(Date.parse(PUBLISHED) + days * 86_400_000));

describe('a published model’s age against the announced reward window', () => {
  it.each([
    // day, full-reward days left, reward factor, warning
    [0, 45, 1, 'none'],
    [44, 1, 1, 'none'],
    [45, 0, 1, 'none'],
    [60, 0, 2 / 3, 'day60'],
    [75, 0, 1 / 3, 'day75'],
    [89, 0, 1 / 45, 'day75'],
    [90, 0, 0, 'expired'],
    [120, 0, 0, 'expired'],
  ] as const)('day %i: %i days of full reward left, factor %f, warning %s', (day, left, factor, warning) => {
    const age = onDay(day);
    expect(age.daysSincePublication).toBe(day);
    expect(age.fullRewardDaysLeft).toBe(left);
    expect(age.rewardFactor).toBeCloseTo(factor, 10);
    expect(age.warning).toBe(warning);
  });

  it('counts part of a day as a day begun: half a day in, 45 days of full reward are still ahead', () => {
    expect(onDay(0.5)).toMatchObject({ daysSincePublication: 0, fullRewardDaysLeft: 45, rewardFactor: 1 });
  });
});
