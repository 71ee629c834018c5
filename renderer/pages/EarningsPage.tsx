import type { ReactElement } from 'react';
import { useLatest } from '../api/use-stream.js';
import { Card, Field, PageHeader } from '../components/Card.js';
import { FailureNote } from '../components/FailureNote.js';
import { CostForm } from '../earnings/CostForm.js';
import { CsvExport } from '../earnings/CsvExport.js';
import { CumulativeChart } from '../earnings/CumulativeChart.js';
import { DailyEmissionChart } from '../earnings/DailyEmissionChart.js';
import { DecisionSummary } from '../earnings/DecisionSummary.js';
import { EarningsTable } from '../earnings/EarningsTable.js';
import { formatAlpha, formatTao, formatUsd, networkText } from '../earnings/earnings-format.js';
import { PriceImport } from '../earnings/PriceImport.js';
import { useSettingsStore } from '../stores/settings-store.js';

/** The days the page charts and lists; the totals cover the whole history. */
const DAYS_SHOWN = 90;

export function EarningsPage(): ReactElement {
  // Now, then after each reading, cost change or price import.
  const { latest: summary, failure } = useLatest('earnings.summary', { days: DAYS_SHOWN });
  const settings = useSettingsStore((store) => store.settings);
  return (
    <>
      <PageHeader
        title="Earnings"
        subtitle="Our emission per UTC day in α, TAO and USD against what mining costs: does it pay?"
      />
      <div className="cards">
        <Card title="Decision">
          <FailureNote failure={failure} />
          {summary ? <DecisionSummary summary={summary} /> : <p className="muted">Waiting for the back end…</p>}
        </Card>
        <Card title="Totals">
          {summary && (
            <dl data-testid="earnings-totals">
              <Field label="History">{networkText(summary)}</Field>
              <Field label="Days">{summary.totals.days}</Field>
              <Field label="Emission">
                {formatAlpha(summary.totals.alpha)} · {formatTao(summary.totals.tao)}
              </Field>
              <Field label="Earned">{formatUsd(summary.totals.earningsUsd)}</Field>
              <Field label="Cost">
                <span data-testid="earnings-total-cost">{formatUsd(summary.totals.costUsd)}</span>
              </Field>
              <Field label="Net">
                <span data-testid="earnings-total-net">{formatUsd(summary.totals.netUsd)}</span>
              </Field>
              <Field label="Cost per day">
                <span data-testid="earnings-cost-per-day">{formatUsd(summary.costs.total)}</span>
              </Field>
            </dl>
          )}
          <CsvExport />
        </Card>
        <Card title="Emission per day" wide>
          {summary && summary.days.length > 0 ? (
            <DailyEmissionChart days={summary.days} />
          ) : (
            <p className="muted">No readings yet: start mining, and each tempo's emission lands here.</p>
          )}
        </Card>
        <Card title="Earned against cost" wide>
          {summary && summary.days.length > 0 && <CumulativeChart days={summary.days} />}
        </Card>
        <Card title="Days" wide>
          {summary && <EarningsTable days={summary.days} />}
        </Card>
        {settings && <CostForm settings={settings} />}
        <Card title="TAO price list" wide>
          <PriceImport />
        </Card>
      </div>
    </>
  );
}
