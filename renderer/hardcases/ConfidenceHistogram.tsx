import { useState, type PointerEvent, type ReactElement } from 'react';
import { CONFIDENCE_BINS, type HardCaseFacets } from '../../shared/domain/hard-case.js';

const WIDTH = 260;
const HEIGHT = 72;
const BIN_WIDTH = 0.5 / CONFIDENCE_BINS;

export interface ConfidenceRange {
  min: number;
  max: number;
}

export function binRange(from: number, to: number): ConfidenceRange {
  const [low, high] = from <= to ? [from, to] : [to, from];
  return { min: 0.5 + low * BIN_WIDTH, max: 0.5 + (high + 1) * BIN_WIDTH };
}

const binOf = (value: number): number =>
  Math.min(CONFIDENCE_BINS - 1, Math.max(0, Math.floor((value - 0.5) / BIN_WIDTH + 1e-9)));

/**
 * How sure the miner was on the cases shown, in bins from 0.5 to 1; dragging across bars
 * brushes a range that filters the gallery, a click outside one clears it.
 */
export function ConfidenceHistogram({
  facets,
  range,
  onBrush,
}: {
  facets: HardCaseFacets | null;
  range: ConfidenceRange | undefined;
  onBrush: (range: ConfidenceRange | undefined) => void;
}): ReactElement {
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const bins = facets?.confidence ?? new Array<number>(CONFIDENCE_BINS).fill(0);
  const peak = Math.max(1, ...bins);
  const barWidth = WIDTH / CONFIDENCE_BINS;
  const binAt = (event: PointerEvent<SVGSVGElement>): number => {
    const bounds = event.currentTarget.getBoundingClientRect();
    return Math.min(
      CONFIDENCE_BINS - 1,
      Math.max(0, Math.floor(((event.clientX - bounds.left) / bounds.width) * CONFIDENCE_BINS)),
    );
  };
  const shown = drag ? binRange(drag.from, drag.to) : range;
  const inShown = (bin: number): boolean => !!shown && bin >= binOf(shown.min) && bin < binOf(shown.max - 1e-9) + 1;
  return (
    <figure className="confidence-histogram">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`Confidence of the listed cases, 0.5 to 1${range ? `; brushed ${range.min.toFixed(3)} to ${range.max.toFixed(3)}` : ''}`}
        data-testid="confidence-histogram"
        onPointerDown={(event) => {
          event.currentTarget.setPointerCapture(event.pointerId);
          const bin = binAt(event);
          setDrag({ from: bin, to: bin });
        }}
        onPointerMove={(event) => {
          if (drag) setDrag({ ...drag, to: binAt(event) });
        }}
        onPointerUp={() => {
          if (!drag) return;
          setDrag(null);
          // A click on a lone bar of an existing brush clears it; otherwise the drag is the range.
          const next = binRange(drag.from, drag.to);
          onBrush(
            range &&
              drag.from === drag.to &&
              Math.abs(range.min - next.min) < 1e-9 &&
              Math.abs(range.max - next.max) < 1e-9
              ? undefined
              : next,
          );
        }}
      >
        {bins.map((count, bin) => {
          const height = (count / peak) * (HEIGHT - 4);
          return (
            <rect
              key={bin}
              x={bin * barWidth + 1}
              y={HEIGHT - height}
              width={barWidth - 2}
              height={Math.max(height, count > 0 ? 1 : 0)}
              className={inShown(bin) ? 'bar brushed' : 'bar'}
            >
              <title>{`${(0.5 + bin * BIN_WIDTH).toFixed(3)}–${(0.5 + (bin + 1) * BIN_WIDTH).toFixed(3)}: ${count}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption className="muted">
        {range ? (
          <>
            Confidence {range.min.toFixed(3)}–{range.max.toFixed(3)}{' '}
            <button type="button" className="link-button" onClick={() => onBrush(undefined)}>
              clear
            </button>
          </>
        ) : (
          'Drag across the bars to show only that confidence.'
        )}
        {facets && facets.noConfidence > 0 ? ` ${facets.noConfidence.toLocaleString()} without a prediction.` : ''}
      </figcaption>
    </figure>
  );
}
