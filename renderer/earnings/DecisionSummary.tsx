import type { ReactElement } from 'react';
import type { EarningsSummary } from '../../shared/domain/earnings.js';
import { Field } from '../components/Card.js';
import { breakEvenText, formatUsd, noCostsEntered } from './earnings-format.js';

/** The plan's decision in one plain sentence, coloured by its side, and what today and the totals say. */
export function DecisionSummary({ summary }: { summary: EarningsSummary }): ReactElement {
  const { decision } = summary;
  const today = summary.days.at(-1);
  const tone = decision.profitable === null ? 'muted' : decision.profitable ? 'verdict-ok' : 'verdict-bad';
  return (
    <>
      <p className={`earnings-decision ${tone}`} data-testid="earnings-decision">
        {decision.text}
      </p>
      <dl>
        <Field label={today ? `Net on ${today.date}` : 'Net today'}>
          <span data-testid="earnings-today-net">{formatUsd(today?.netUsd ?? null)}</span>
        </Field>
        <Field label="Break-even">
          <span data-testid="earnings-break-even">{breakEvenText(summary.breakEven)}</span>
        </Field>
      </dl>
      {noCostsEntered(summary) && <p className="muted">No costs entered yet: the net is the earnings alone.</p>}
    </>
  );
}
