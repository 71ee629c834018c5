import {
  useCallback,
  useEffect,
  useMemo,
  useState,
  type DragEvent,
  type KeyboardEvent,
  type ReactElement,
} from 'react';
import type { HardCaseFilter, HardCaseLabel, HardCaseSort } from '../../shared/domain/hard-case.js';
import { PageHeader } from '../components/Card.js';
import { useClient } from '../client-context.js';
import { CasePreview } from '../hardcases/CasePreview.js';
import { ConfidenceHistogram } from '../hardcases/ConfidenceHistogram.js';
import { DropZones } from '../hardcases/DropZones.js';
import { ExportPanel } from '../hardcases/ExportPanel.js';
import { GalleryGrid, gridContentWidth } from '../hardcases/GalleryGrid.js';
import { ImportPanel, useImporter } from '../hardcases/ImportPanel.js';
import { LabelCounters } from '../hardcases/LabelCounters.js';
import { filesFromDrop } from '../hardcases/dropped-files.js';
import { labelAndAdvance, runQuery, undoOrRedo } from '../hardcases/gallery-actions.js';
import { caseAt, useGalleryStore } from '../hardcases/gallery-store.js';
import { gridLayout, moveFocus, type Move } from '../hardcases/grid-layout.js';
import { ThumbnailLoader } from '../hardcases/thumbnail-loader.js';

const SORTS: { value: HardCaseSort; name: string }[] = [
  { value: 'uncertainty', name: 'Least sure first' },
  { value: 'uniqueness', name: 'Least like anything labelled' },
  { value: 'disagreement', name: 'Stages disagree most' },
  { value: 'newest', name: 'Newest' },
  { value: 'oldest', name: 'Oldest' },
];

const LABEL_FILTERS: { value: HardCaseFilter['label']; name: string }[] = [
  { value: 'unlabelled', name: 'Unlabelled' },
  { value: 'all', name: 'All' },
  { value: 'labelled', name: 'Labelled' },
  { value: 'roadwork', name: 'Roadwork' },
  { value: 'none', name: 'No roadwork' },
  { value: 'skip', name: 'Skipped' },
];

const LABEL_KEYS: Record<string, HardCaseLabel> = { '1': 'roadwork', '2': 'none', '0': 'skip' };

const MOVE_KEYS: Record<string, Move> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
  Home: 'home',
  End: 'end',
  PageUp: 'pageUp',
  PageDown: 'pageDown',
};

const typingIn = (target: EventTarget): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName));

export function HardCasesPage(): ReactElement {
  const client = useClient();
  const loader = useMemo(() => new ThumbnailLoader(client), [client]);
  const filter = useGalleryStore((state) => state.filter);
  const sort = useGalleryStore((state) => state.sort);
  const view = useGalleryStore((state) => state.view);
  const facets = useGalleryStore((state) => state.facets);
  const failure = useGalleryStore((state) => state.failure);
  const counts = useGalleryStore((state) => state.counts);
  const totalAtQuery = useGalleryStore((state) => state.totalAtQuery);
  const previewOpen = useGalleryStore((state) => state.previewOpen);
  const focused = useGalleryStore((state) => caseAt(state, state.focus));
  const importer = useImporter();
  const [filesOver, setFilesOver] = useState(false);

  useEffect(() => {
    void runQuery(client);
  }, [client]);

  const setFilter = (change: Partial<HardCaseFilter>): void =>
    void runQuery(client, { filter: { ...filter, ...change } });
  const closePreview = useCallback(() => useGalleryStore.setState({ previewOpen: false }), []);
  const openPreview = useCallback((index: number) => useGalleryStore.setState({ focus: index, previewOpen: true }), []);

  const onKeyDown = (event: KeyboardEvent): void => {
    if (typingIn(event.target)) return;
    const state = useGalleryStore.getState();
    const command = event.ctrlKey || event.metaKey;
    if (command && event.key.toLowerCase() === 'z') {
      event.preventDefault();
      void undoOrRedo(client, event.shiftKey ? 'redo' : 'undo');
    } else if (command && event.key.toLowerCase() === 'y') {
      event.preventDefault();
      void undoOrRedo(client, 'redo');
    } else if (command && event.key.toLowerCase() === 'a' && state.view) {
      event.preventDefault();
      const all = new Set(Array.from({ length: state.view.total }, (_, i) => i));
      useGalleryStore.setState({ selection: { selected: all, anchor: 0 } });
    } else if (!command && LABEL_KEYS[event.key]) {
      event.preventDefault();
      void labelAndAdvance(client, LABEL_KEYS[event.key]!).catch(() => undefined);
    } else if (event.key === ' ') {
      event.preventDefault();
      useGalleryStore.setState({ previewOpen: !state.previewOpen });
    } else if (MOVE_KEYS[event.key] && state.view) {
      event.preventDefault();
      const grid = document.querySelector<HTMLElement>('[data-testid="gallery"]');
      const width = grid ? gridContentWidth(grid) : 1000;
      const layout = gridLayout(width, state.view.total);
      const next = moveFocus(layout, Math.max(0, state.focus), MOVE_KEYS[event.key]!);
      const selection = event.shiftKey
        ? { selected: new Set([...state.selection.selected, next]), anchor: state.selection.anchor }
        : { selected: new Set([next]), anchor: next };
      useGalleryStore.setState({ focus: next, selection });
    }
  };

  const onDragOver = (event: DragEvent): void => {
    if (!event.dataTransfer.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    setFilesOver(true);
  };
  const onDrop = (event: DragEvent): void => {
    if (!event.dataTransfer.types.includes('Files')) return;
    event.preventDefault();
    setFilesOver(false);
    void filesFromDrop(event.dataTransfer).then((files) => importer.importFiles(files));
  };

  const arrived = counts && view ? counts.total - totalAtQuery : 0;
  return (
    <div className="hard-cases-page" onKeyDown={onKeyDown}>
      <PageHeader title="Hard cases" subtitle="What the miner was unsure of: label it, and it becomes training data." />
      <div className="filters">
        <label>
          Show
          <select
            value={filter.label}
            onChange={(event) => setFilter({ label: event.target.value as HardCaseFilter['label'] })}
          >
            {LABEL_FILTERS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Order
          <select
            value={sort}
            onChange={(event) => void runQuery(client, { sort: event.target.value as HardCaseSort })}
          >
            {SORTS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Source
          <select
            value={filter.source ?? 'any'}
            onChange={(event) =>
              setFilter({
                source: event.target.value === 'any' ? undefined : (event.target.value as HardCaseFilter['source']),
              })
            }
          >
            <option value="any">Any</option>
            <option value="challenge">Challenges</option>
            <option value="imported">Imported</option>
            <option value="generated">Generated</option>
          </select>
        </label>
        <label>
          Validator
          <select
            value={filter.validator ?? 'any'}
            onChange={(event) =>
              setFilter({ validator: event.target.value === 'any' ? undefined : event.target.value })
            }
          >
            <option value="any">Any</option>
            {(facets?.validators ?? []).map(({ hotkey, count }) => (
              <option key={hotkey} value={hotkey}>
                {hotkey.slice(0, 10)}… ({count})
              </option>
            ))}
          </select>
        </label>
        <span className="muted" data-testid="gallery-total">
          {view ? `${view.total.toLocaleString()} shown` : 'Ranking…'}
        </span>
        <button type="button" onClick={() => void runQuery(client)}>
          Refresh{arrived > 0 ? ` (${arrived.toLocaleString()} new)` : ''}
        </button>
      </div>
      {failure && (
        <p className="form-error" role="alert">
          {failure}
        </p>
      )}
      <div
        className={`gallery-layout${filesOver ? ' files-over' : ''}`}
        onDragOver={onDragOver}
        onDragLeave={() => setFilesOver(false)}
        onDrop={onDrop}
      >
        <div className="gallery-main">
          {view && view.total === 0 ? (
            <p className="muted gallery-empty">
              No cases here. The miner adds the images it is unsure of while it mines; or drop images here.
            </p>
          ) : (
            <GalleryGrid loader={loader} onOpen={openPreview} />
          )}
          {previewOpen && <CasePreview item={focused} onClose={closePreview} />}
        </div>
        <aside className="gallery-side">
          <LabelCounters />
          <DropZones />
          <p className="muted keys">
            <kbd>1</kbd> <kbd>2</kbd> <kbd>0</kbd> label and advance · arrows move · <kbd>Space</kbd> preview ·{' '}
            <kbd>Ctrl</kbd>+<kbd>Z</kbd> undo · <kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>Z</kbd> redo
          </p>
          <ConfidenceHistogram
            facets={facets}
            range={filter.confidence}
            onBrush={(confidence) => setFilter({ confidence })}
          />
          <ImportPanel importer={importer} />
          <ExportPanel />
        </aside>
      </div>
    </div>
  );
}
