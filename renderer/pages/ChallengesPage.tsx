import { useEffect, useState, type ReactElement } from 'react';
import type { ChallengeRecord } from '../../shared/domain/challenge.js';
import { Card, PageHeader } from '../components/Card.js';
import { LatencyHistogram } from '../components/LatencyHistogram.js';
import { useClient } from '../client-context.js';
import { useChallengeStore } from '../stores/challenge-store.js';
import { useRowWindow } from '../use-row-window.js';

type Outcome = 'all' | 'answered' | 'refused' | 'hard';

/** Fixed, so the list can be virtual: a 48 px thumbnail and its padding. */
const ROW_HEIGHT = 57;

/** Thumbnails already fetched: scrolling back over a row does not ask the back end again. */
const thumbnails = new Map<string, string | null>();
const THUMBNAILS_KEPT = 2000;

function remember(hash: string, src: string | null): void {
  thumbnails.set(hash, src);
  if (thumbnails.size > THUMBNAILS_KEPT) thumbnails.delete(thumbnails.keys().next().value!);
}

function Thumbnail({ hash }: { hash: string | null }): ReactElement {
  const client = useClient();
  const [src, setSrc] = useState<string | null>(hash ? (thumbnails.get(hash) ?? null) : null);
  useEffect(() => {
    if (!hash || thumbnails.has(hash)) return;
    let live = true;
    client.call('challenges.thumbnail', { hash }).then(
      (result) => {
        remember(hash, result.dataUrl);
        if (live) setSrc(result.dataUrl);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client, hash]);
  return src ? (
    <img className="thumb" src={src} alt="" width={48} height={48} loading="lazy" />
  ) : (
    <span className="thumb" />
  );
}

function matches(record: ChallengeRecord, outcome: Outcome, validator: string): boolean {
  if (validator !== 'all' && record.hotkey !== validator) return false;
  if (outcome === 'answered') return record.status === 200;
  if (outcome === 'refused') return record.status !== 200;
  if (outcome === 'hard') return record.hardCase;
  return true;
}

export function ChallengesPage(): ReactElement {
  const records = useChallengeStore((store) => store.records);
  const [outcome, setOutcome] = useState<Outcome>('all');
  const [validator, setValidator] = useState('all');
  const validators = [...new Set(records.map((record) => record.hotkey))].filter(Boolean);
  const shown = records.filter((record) => matches(record, outcome, validator)).reverse();
  const { attach, onScroll, window: rows } = useRowWindow<HTMLDivElement>(shown.length, ROW_HEIGHT);
  const { start, end, before, after } = rows;
  return (
    <>
      <PageHeader title="Challenges" subtitle="Every request the axon saw, newest first, as it happens." />
      <div className="filters">
        <label>
          Outcome
          <select value={outcome} onChange={(event) => setOutcome(event.target.value as Outcome)}>
            <option value="all">All</option>
            <option value="answered">Answered</option>
            <option value="refused">Refused</option>
            <option value="hard">Hard cases</option>
          </select>
        </label>
        <label>
          Validator
          <select value={validator} onChange={(event) => setValidator(event.target.value)}>
            <option value="all">All</option>
            {validators.map((hotkey) => (
              <option key={hotkey} value={hotkey}>
                {hotkey.slice(0, 10)}…
              </option>
            ))}
          </select>
        </label>
        <span className="muted">
          {shown.length} shown of {records.length}
        </span>
      </div>
      {records.length > 0 && (
        <Card title="Answer latency" wide>
          <LatencyHistogram records={records} />
        </Card>
      )}
      {shown.length === 0 ? (
        <p className="muted">No challenges yet: start mining and the validators' requests appear here.</p>
      ) : (
        <div className="table-scroll" ref={attach} onScroll={onScroll} data-testid="challenges-scroll">
          <table className="challenges" aria-label="Challenges" aria-rowcount={shown.length + 1}>
            <thead>
              <tr>
                <th />
                <th>Time</th>
                <th>Validator</th>
                <th>Status</th>
                <th>Prediction</th>
                <th>Latency</th>
              </tr>
            </thead>
            <tbody>
              {before > 0 && <tr aria-hidden="true" style={{ height: before }} />}
              {shown.slice(start, end).map((record, i) => (
                <tr key={record.id} className={record.hardCase ? 'hard-case' : undefined} aria-rowindex={start + i + 2}>
                  <td>
                    <Thumbnail hash={record.imageHash} />
                  </td>
                  <td>{new Date(record.time).toLocaleTimeString()}</td>
                  <td className="mono">
                    {record.uid === null ? '' : `uid ${record.uid} · `}
                    {record.hotkey.slice(0, 8)}…
                  </td>
                  <td title={record.message}>{record.status}</td>
                  <td>
                    {record.prediction === null ? '—' : record.prediction.toFixed(3)}
                    {record.hardCase && <span className="badge">hard</span>}
                  </td>
                  <td>{record.latencyMs.toFixed(1)} ms</td>
                </tr>
              ))}
              {after > 0 && <tr aria-hidden="true" style={{ height: after }} />}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
