import { useEffect, useRef, useState, type ReactElement } from 'react';
import type { HardCase } from '../../shared/domain/hard-case.js';
import { useClient } from '../client-context.js';
import { LABEL_NAMES } from './CaseCard.js';
import { errorMessage } from '../../shared/errors.js';

const ZOOMS = [1, 1.5, 2, 3, 4, 6, 8];

const probability = (value: number | null): string => (value === null ? '–' : value.toFixed(3));

/**
 * The focused case, large: wheel or +/− to zoom, drag to pan when zoomed. It follows the focus,
 * so labelling by keyboard goes on while it is open.
 */
export function CasePreview({ item, onClose }: PreviewProps): ReactElement {
  // Keyed by the case, so zoom, pan and the loaded image start afresh for each one.
  return <CasePreviewOf key={item?.hash ?? 'none'} item={item} onClose={onClose} />;
}

interface PreviewProps {
  item: HardCase | undefined;
  onClose: () => void;
}

function CasePreviewOf({ item, onClose }: PreviewProps): ReactElement {
  const client = useClient();
  const [image, setImage] = useState<{ hash: string; src: string; width: number; height: number } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [zoom, setZoom] = useState(0);
  const [pan, setPan] = useState({ x: 0, y: 0 });
  const dragFrom = useRef<{ x: number; y: number; pan: { x: number; y: number } } | null>(null);
  const hash = item?.hash;

  useEffect(() => {
    if (!hash) return;
    let live = true;
    client.call('hardcases.preview', { hash }).then(
      (preview) => live && setImage({ hash, src: preview.dataUrl, width: preview.width, height: preview.height }),
      (error: unknown) => live && setFailure(errorMessage(error)),
    );
    return () => {
      live = false;
    };
  }, [client, hash]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === '+' || event.key === '=') setZoom((z) => Math.min(ZOOMS.length - 1, z + 1));
      else if (event.key === '-') setZoom((z) => Math.max(0, z - 1));
      else if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const scale = ZOOMS[zoom] ?? 1;
  return (
    <section className="case-preview" role="dialog" aria-label="Preview" aria-modal="false">
      <div
        className="preview-stage"
        onWheel={(event) => setZoom((z) => Math.min(ZOOMS.length - 1, Math.max(0, z + (event.deltaY < 0 ? 1 : -1))))}
        onPointerDown={(event) => {
          event.currentTarget.setPointerCapture(event.pointerId);
          dragFrom.current = { x: event.clientX, y: event.clientY, pan };
        }}
        onPointerMove={(event) => {
          const from = dragFrom.current;
          if (from && scale > 1)
            setPan({ x: from.pan.x + event.clientX - from.x, y: from.pan.y + event.clientY - from.y });
        }}
        onPointerUp={() => (dragFrom.current = null)}
      >
        {failure ? (
          <p className="form-error">{failure}</p>
        ) : image && image.hash === hash ? (
          <img
            src={image.src}
            alt={`Case ${hash?.slice(0, 8) ?? ''}`}
            draggable={false}
            style={{ transform: `translate(${pan.x}px, ${pan.y}px) scale(${scale})` }}
          />
        ) : (
          <p className="muted">Loading…</p>
        )}
      </div>
      <div className="preview-side">
        <div className="preview-tools">
          <button type="button" onClick={() => setZoom((z) => Math.max(0, z - 1))} aria-label="Zoom out">
            −
          </button>
          <span data-testid="preview-zoom">{scale}×</span>
          <button type="button" onClick={() => setZoom((z) => Math.min(ZOOMS.length - 1, z + 1))} aria-label="Zoom in">
            +
          </button>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
        {item && (
          <dl className="preview-facts">
            <dt>Label</dt>
            <dd data-testid="preview-label">{LABEL_NAMES[item.label]}</dd>
            <dt>Prediction</dt>
            <dd>{probability(item.prediction)}</dd>
            <dt>First / second stage</dt>
            <dd>
              {probability(item.firstStage)} / {probability(item.secondStage)}
            </dd>
            <dt>Source</dt>
            <dd>{item.source}</dd>
            <dt>Validator</dt>
            <dd className="mono">{item.validator ? `${item.validator.slice(0, 12)}…` : '–'}</dd>
            <dt>Seen</dt>
            <dd>
              {item.timesSeen}× · last {new Date(item.lastSeen).toLocaleString()}
            </dd>
            {image && (
              <>
                <dt>Shown at</dt>
                <dd>
                  {image.width}×{image.height}
                </dd>
              </>
            )}
            {item.testnetLabel !== null && (
              <>
                <dt>Testnet label</dt>
                <dd>{item.testnetLabel === 1 ? 'Roadwork' : 'No roadwork'}</dd>
              </>
            )}
          </dl>
        )}
      </div>
    </section>
  );
}
