import type { ReactElement } from 'react';
import { useLatest } from '../api/use-stream.js';
import { Card } from '../components/Card.js';
import { FailureNote } from '../components/FailureNote.js';
import { navigate } from '../stores/nav-store.js';
import { DecisionSummary } from './DecisionSummary.js';

/** The Overview's glance at whether mining pays: today's net and the decision. */
export function EarningsCard(): ReactElement {
  const { latest: summary, failure } = useLatest('earnings.summary', { days: 1 });
  return (
    <Card title="Earnings">
      <FailureNote failure={failure} />
      {summary ? <DecisionSummary summary={summary} /> : <p className="muted">Waiting for the back end…</p>}
      <button type="button" className="link-button" onClick={() => navigate('earnings')}>
        Earnings and costs
      </button>
    </Card>
  );
}
