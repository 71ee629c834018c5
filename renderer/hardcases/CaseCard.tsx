import { memo, useEffect, useState, type DragEvent, type MouseEvent, type ReactElement } from 'react';
import type { HardCase, HardCaseLabel } from '../../shared/domain/hard-case.js';
import type { ThumbnailLoader } from './thumbnail-loader.js';

export const LABEL_NAMES: Record<HardCaseLabel, string> = {
  roadwork: 'Roadwork',
  none: 'No roadwork',
  skip: 'Skip',
  unlabelled: 'Unlabelled',
};

function useThumbnail(loader: ThumbnailLoader, hash: string | undefined): string | null {
  const [loaded, setLoaded] = useState<{ hash: string; src: string | null } | null>(null);
  useEffect(() => {
    if (!hash || loader.cached(hash) !== undefined) return;
    return loader.request(hash, (src) => setLoaded({ hash, src }));
  }, [loader, hash]);
  if (!hash) return null;
  return loader.cached(hash) ?? (loaded?.hash === hash ? loaded.src : null);
}

export interface CaseCardProps {
  index: number;
  item: HardCase | undefined;
  left: number;
  top: number;
  size: number;
  selected: boolean;
  focused: boolean;
  loader: ThumbnailLoader;
  onPointerSelect: (index: number, event: MouseEvent) => void;
  onOpen: (index: number) => void;
  onDragStart: (index: number, event: DragEvent) => void;
}

/** One case in the grid: its thumbnail, its label, and how sure the miner was. */
export const CaseCard = memo(function CaseCard(props: CaseCardProps): ReactElement {
  const { index, item, left, top, size, selected, focused, loader } = props;
  const src = useThumbnail(loader, item?.hash);
  const label = item?.label ?? 'unlabelled';
  const confidence = item?.confidence;
  const description = item
    ? `Case ${index + 1}: ${LABEL_NAMES[label]}${item.prediction === null ? '' : `, prediction ${item.prediction.toFixed(2)}`}`
    : `Case ${index + 1}: loading`;
  return (
    <div
      role="option"
      id={`case-${index}`}
      aria-selected={selected}
      aria-label={description}
      data-label={label}
      className={`case-card${selected ? ' selected' : ''}${focused ? ' focused' : ''} label-${label}`}
      style={{ left, top, width: size, height: size }}
      draggable={!!item}
      onMouseDown={(event) => event.stopPropagation()}
      onClick={(event) => props.onPointerSelect(index, event)}
      onDoubleClick={() => props.onOpen(index)}
      onDragStart={(event) => props.onDragStart(index, event)}
    >
      {src ? <img src={src} alt="" draggable={false} /> : <span className="case-placeholder" />}
      {label !== 'unlabelled' && <span className={`case-label case-label-${label}`}>{LABEL_NAMES[label]}</span>}
      {confidence !== null && confidence !== undefined && (
        <span className="case-confidence" title="How sure the miner was: max(p, 1 − p)">
          {confidence.toFixed(2)}
        </span>
      )}
    </div>
  );
});
