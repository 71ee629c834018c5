import type { ReactElement } from 'react';
import { Card } from '../components/Card.js';
import { navigate } from '../stores/nav-store.js';
import { DecisionSummary } from './DecisionSummary.js';
import { useEarnings } from './use-earnings.js';

/** The Overview's glance at whether mining pays: today's net and the decision. */
export function EarningsCard(): ReactElement {
  const summary = useEarnings(1);
  return (
    <Card title="Earnings">
      {summary ? <DecisionSummary summary={summary} /> : <p className="muted">Waiting for the back end…</p>}
      <button type="button" className="link-button" onClick={() => navigate('earnings')}>
        Earnings and costs
      </button>
    </Card>
  );
}
