import { useState, type DragEvent, type ReactElement } from 'react';
import type { HardCaseLabel } from '../../shared/domain/hard-case.js';
import { useClient } from '../client-context.js';
import { LABEL_NAMES } from './CaseCard.js';
import { CASES_MIME } from './GalleryGrid.js';
import { labelIndices } from './gallery-actions.js';
import { useGalleryStore } from './gallery-store.js';
import { targetsOf } from './selection.js';

const ZONES: { label: HardCaseLabel; key: string }[] = [
  { label: 'roadwork', key: '1' },
  { label: 'none', key: '2' },
  { label: 'skip', key: '0' },
];

function droppedIndices(event: DragEvent): number[] {
  try {
    const parsed: unknown = JSON.parse(event.dataTransfer.getData(CASES_MIME));
    return Array.isArray(parsed) ? parsed.filter((value): value is number => Number.isInteger(value)) : [];
  } catch {
    return [];
  }
}

/**
 * Where cards are dropped to label them; a click labels the selection (or the focused card), for
 * those who would rather not drag.
 */
export function DropZones(): ReactElement {
  const client = useClient();
  const [over, setOver] = useState<HardCaseLabel | null>(null);
  const onDrop = (label: HardCaseLabel) => (event: DragEvent) => {
    event.preventDefault();
    setOver(null);
    const indices = droppedIndices(event);
    if (indices.length > 0) void labelIndices(client, indices, label).catch(() => undefined);
  };
  const onClick = (label: HardCaseLabel) => () => {
    const { selection, focus } = useGalleryStore.getState();
    const indices = selection.selected.size > 0 ? [...selection.selected] : targetsOf(selection, focus);
    if (indices.length > 0) void labelIndices(client, indices, label).catch(() => undefined);
  };
  return (
    <div className="drop-zones">
      {ZONES.map(({ label, key }) => (
        <button
          key={label}
          type="button"
          className={`drop-zone drop-zone-${label}${over === label ? ' over' : ''}`}
          data-testid={`drop-${label}`}
          onClick={onClick(label)}
          onDragOver={(event) => {
            if (!event.dataTransfer.types.includes(CASES_MIME)) return;
            event.preventDefault();
            event.dataTransfer.dropEffect = 'move';
            setOver(label);
          }}
          onDragLeave={() => setOver(null)}
          onDrop={onDrop(label)}
        >
          {LABEL_NAMES[label]}
          <kbd>{key}</kbd>
        </button>
      ))}
    </div>
  );
}
