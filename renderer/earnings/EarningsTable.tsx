import type { ReactElement } from 'react';
import type { EarningsDay } from '../../shared/domain/earnings.js';
import { formatAlpha, formatTao, formatUsd } from './earnings-format.js';

const PRICE_SOURCE = { imported: 'imported', entered: 'entered' } as const;

/** One row per UTC day, newest first. */
export function EarningsTable({ days }: { days: readonly EarningsDay[] }): ReactElement {
  return (
    <div className="table-scroll">
      <table className="earnings-table" aria-label="Earnings per day">
        <thead>
          <tr>
            <th scope="col">Day (UTC)</th>
            <th scope="col">Tempos</th>
            <th scope="col">α / tempo</th>
            <th scope="col">α / day</th>
            <th scope="col">TAO / day</th>
            <th scope="col">USD / TAO</th>
            <th scope="col">Earned</th>
            <th scope="col">Cost</th>
            <th scope="col">Net</th>
            <th scope="col">Cumulative net</th>
          </tr>
        </thead>
        <tbody>
          {[...days].reverse().map((day) => (
            <tr key={day.date} data-testid={`earnings-day-${day.date}`}>
              <td>{day.date}</td>
              <td>{day.readings === 0 ? 'off all day' : day.readings}</td>
              <td>{formatAlpha(day.alphaPerTempo)}</td>
              <td>{formatAlpha(day.alphaPerDay)}</td>
              <td>{formatTao(day.taoPerDay)}</td>
              <td>
                {day.usdPerTao === null ? '—' : day.usdPerTao.toFixed(2)}
                {day.usdPriceSource && <span className="muted"> ({PRICE_SOURCE[day.usdPriceSource]})</span>}
              </td>
              <td>{formatUsd(day.earningsUsd)}</td>
              <td>{formatUsd(day.costUsd)}</td>
              <td className={day.netUsd === null ? '' : day.netUsd >= 0 ? 'verdict-ok' : 'verdict-bad'}>
                {formatUsd(day.netUsd)}
              </td>
              <td>{formatUsd(day.cumulativeNetUsd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
