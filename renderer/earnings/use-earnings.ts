import { useEffect, useState } from 'react';
import type { EarningsSummary } from '../../shared/domain/earnings.js';
import { useClient } from '../client-context.js';

/** The earnings as the back end streams them: now, then after each reading, cost change or price import. */
export function useEarnings(days: number): EarningsSummary | null {
  const client = useClient();
  const [summary, setSummary] = useState<EarningsSummary | null>(null);
  useEffect(
    () => client.subscribe('earnings.summary', { days }, (events) => setSummary(events.at(-1) ?? null)),
    [client, days],
  );
  return summary;
}
