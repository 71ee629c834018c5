import { useState, type ReactElement } from 'react';
import { Card, Field, PageHeader } from '../components/Card.js';
import { IncentiveChart } from '../components/IncentiveChart.js';
import { RankSummary } from '../components/RankSummary.js';
import { StandingHistoryChart } from '../components/StandingHistoryChart.js';
import { neuronRows, type NeuronColumn, type NeuronQuery, type NeuronRole } from '../neuron-table.js';
import { useMetagraphStore } from '../stores/metagraph-store.js';
import { subnetParamRows } from '../subnet-params.js';

const COLUMNS: { key: NeuronColumn; label: string; format: (value: number) => string }[] = [
  { key: 'uid', label: 'Uid', format: String },
  { key: 'stake', label: 'Stake (α)', format: (v) => v.toLocaleString(undefined, { maximumFractionDigits: 1 }) },
  { key: 'incentive', label: 'Incentive', format: (v) => v.toFixed(4) },
  { key: 'emission', label: 'Emission (α / tempo)', format: (v) => v.toFixed(3) },
  { key: 'dividends', label: 'Dividends', format: (v) => v.toFixed(4) },
  { key: 'lastUpdate', label: 'Last update', format: String },
  { key: 'registeredAt', label: 'Registered', format: String },
];

export function MetagraphPage(): ReactElement {
  const view = useMetagraphStore((store) => store.view);
  const history = useMetagraphStore((store) => store.history);
  const [query, setQuery] = useState<NeuronQuery>({ sortBy: 'incentive', direction: 'desc', role: 'all', text: '' });
  const neurons = view?.metagraph?.neurons ?? [];
  const emptyFields: readonly string[] = view?.metagraph?.deprecatedEmpty ?? [];
  const rows = neuronRows(neurons, query, view?.ourHotkey ?? null);
  const sortBy = (key: NeuronColumn): void =>
    setQuery((q) => ({ ...q, sortBy: key, direction: q.sortBy === key && q.direction === 'desc' ? 'asc' : 'desc' }));

  return (
    <>
      <PageHeader
        title="Metagraph"
        subtitle={
          view?.source === 'chain'
            ? `Subnet ${view.metagraph?.netuid ?? ''} on the live chain, re-read every few blocks.`
            : 'The local subnet while you mine on it: its validators, a field of peers, and you.'
        }
      />
      <div className="cards">
        <Card title="Standing">
          <RankSummary view={view} />
        </Card>
        <Card title="Alerts">
          {view && view.alerts.length > 0 ? (
            <ul className="alerts" aria-label="Alerts">
              {[...view.alerts].reverse().map((alert) => (
                <li key={`${alert.time}-${alert.kind}`} className={`alert alert-${alert.kind}`}>
                  <span className="muted">
                    {new Date(alert.time).toLocaleTimeString()} · block {alert.block}
                  </span>
                  <br />
                  {alert.message}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">
              None. Rank drops of more than 5 places, immunity ending low and a wrong axon address show here.
            </p>
          )}
        </Card>
        <Card title="Subnet parameters">
          {view?.metagraph ? (
            <dl>
              {subnetParamRows(view.metagraph).map((row) => (
                <Field key={row.label} label={row.label}>
                  {row.value}
                </Field>
              ))}
            </dl>
          ) : (
            <p className="muted">Kappa, commit-reveal, the weights limit and the activity cutoff show once mining.</p>
          )}
        </Card>
        <Card title="Incentive of every miner" wide>
          {neurons.length > 0 ? (
            <IncentiveChart neurons={neurons} ourHotkey={view?.ourHotkey ?? null} />
          ) : (
            <p className="muted">No metagraph yet: start mining.</p>
          )}
        </Card>
        <Card title="Rank, incentive and emission per tempo" wide>
          <StandingHistoryChart points={history} />
        </Card>
      </div>
      <div className="filters">
        <label>
          Show
          <select
            value={query.role}
            onChange={(event) => setQuery({ ...query, role: event.target.value as NeuronRole })}
          >
            <option value="all">Everyone</option>
            <option value="miners">Miners</option>
            <option value="validators">Validators</option>
          </select>
        </label>
        <label>
          Find
          <input
            type="search"
            value={query.text}
            placeholder="uid, hotkey, coldkey or ip"
            onChange={(event) => setQuery({ ...query, text: event.target.value })}
          />
        </label>
        <span className="muted">
          {rows.length} of {neurons.length} uids
        </span>
      </div>
      {neurons.length > 0 && (
        <table className="challenges neurons" aria-label="Neurons">
          <thead>
            <tr>
              {COLUMNS.map((column) => (
                <th
                  key={column.key}
                  aria-sort={
                    query.sortBy === column.key ? (query.direction === 'asc' ? 'ascending' : 'descending') : 'none'
                  }
                >
                  <button type="button" className="sort" onClick={() => sortBy(column.key)}>
                    {column.label}
                  </button>
                </th>
              ))}
              <th>Hotkey</th>
              <th>Axon</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((n) => {
              const ours = n.hotkey === view?.ourHotkey;
              return (
                <tr
                  key={n.uid}
                  className={ours ? 'ours' : n.validatorPermit ? 'validator' : undefined}
                  aria-current={ours ? 'true' : undefined}
                >
                  {COLUMNS.map((column) =>
                    // A field the chain sent empty has no reading to show, only a stand-in zero.
                    emptyFields.includes(column.key) ? (
                      <td key={column.key} className="muted" title="Sent empty by the chain (deprecated)">
                        —
                      </td>
                    ) : (
                      <td key={column.key}>{column.format(n[column.key])}</td>
                    ),
                  )}
                  <td className="mono" title={n.hotkey}>
                    {n.hotkey.slice(0, 8)}…{ours && <span className="badge">you</span>}
                    {n.validatorPermit && <span className="badge">validator</span>}
                  </td>
                  <td className="mono">{n.axon ? `${n.axon.ip}:${n.axon.port}` : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
