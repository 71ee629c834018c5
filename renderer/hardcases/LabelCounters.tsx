import type { ReactElement } from 'react';
import { useGalleryStore } from './gallery-store.js';

const percent = (part: number, whole: number): string => (whole === 0 ? '–' : `${Math.round((100 * part) / whole)} %`);

/** Labelled, remaining, and the class balance a training set would get. */
export function LabelCounters(): ReactElement {
  const counts = useGalleryStore((state) => state.counts);
  if (!counts) return <p className="muted">Counting…</p>;
  const labelled = counts.roadwork + counts.none + counts.skip;
  const classes = counts.roadwork + counts.none;
  return (
    <dl className="label-counters" aria-label="Label counters">
      <div>
        <dt>Labelled</dt>
        <dd data-testid="count-labelled">{labelled.toLocaleString()}</dd>
      </div>
      <div>
        <dt>Remaining</dt>
        <dd data-testid="count-remaining">{counts.unlabelled.toLocaleString()}</dd>
      </div>
      <div>
        <dt>Roadwork</dt>
        <dd data-testid="count-roadwork">
          {counts.roadwork.toLocaleString()} <small>{percent(counts.roadwork, classes)}</small>
        </dd>
      </div>
      <div>
        <dt>No roadwork</dt>
        <dd data-testid="count-none">
          {counts.none.toLocaleString()} <small>{percent(counts.none, classes)}</small>
        </dd>
      </div>
      <div>
        <dt>Skipped</dt>
        <dd data-testid="count-skip">{counts.skip.toLocaleString()}</dd>
      </div>
    </dl>
  );
}
