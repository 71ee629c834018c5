/**
 * What the gallery does with the back end: rank a view, load its pages as they scroll into
 * sight, label (durable before the card changes), undo and redo. Label keys are queued, so three
 * quick presses label three cards in turn, each after the previous one is on disk.
 */
import type { OperatorClient } from '../../shared/client.js';
import type {
  HardCase,
  HardCaseFilter,
  HardCaseLabel,
  HardCaseSort,
  LabelChange,
} from '../../shared/domain/hard-case.js';
import { ApiError, errorMessage } from '../../shared/errors.js';
import { caseAt, PAGE_SIZE, useGalleryStore, type GalleryState } from './gallery-store.js';
import { EMPTY_SELECTION, targetsOf } from './selection.js';
import { markLabelAnswered, markLabelKey } from './label-timing.js';

const inFlight = new Set<string>();
let querySerial = 0;
let labelQueue: Promise<unknown> = Promise.resolve();

/** Ranks the cases the filter matches, and starts over at the top. */
export async function runQuery(
  client: OperatorClient,
  change: { filter?: HardCaseFilter; sort?: HardCaseSort } = {},
): Promise<void> {
  const serial = ++querySerial;
  const state = useGalleryStore.getState();
  const filter = change.filter ?? state.filter;
  const sort = change.sort ?? state.sort;
  useGalleryStore.setState({ filter, sort, loading: true, failure: null });
  try {
    const [view, facets] = await Promise.all([
      client.call('hardcases.query', { filter, sort }),
      client.call('hardcases.facets', { filter }),
    ]);
    if (serial !== querySerial) return;
    inFlight.clear();
    useGalleryStore.setState({
      view: { id: view.view, total: view.total },
      facets,
      pages: new Map(),
      indexOf: new Map(),
      selection: EMPTY_SELECTION,
      focus: view.total > 0 ? 0 : -1,
      loading: false,
      totalAtQuery: useGalleryStore.getState().counts?.total ?? 0,
    });
    await ensureLoaded(client, 0, Math.min(view.total, PAGE_SIZE));
  } catch (error) {
    if (serial === querySerial) useGalleryStore.setState({ loading: false, failure: errorMessage(error) });
  }
}

/** Loads the pages covering [start, end) that are not loaded or loading yet. */
export async function ensureLoaded(client: OperatorClient, start: number, end: number): Promise<void> {
  const { view, pages } = useGalleryStore.getState();
  if (!view || end <= start) return;
  const wanted: number[] = [];
  for (let page = Math.floor(start / PAGE_SIZE); page * PAGE_SIZE < Math.min(end, view.total); page++) {
    const key = `${view.id}:${page}`;
    if (!pages.has(page) && !inFlight.has(key)) {
      inFlight.add(key);
      wanted.push(page);
    }
  }
  await Promise.all(
    wanted.map(async (page) => {
      try {
        const cases = await client.call('hardcases.page', {
          view: view.id,
          offset: page * PAGE_SIZE,
          limit: PAGE_SIZE,
        });
        if (useGalleryStore.getState().view?.id !== view.id) return;
        useGalleryStore.setState((state) => withPage(state, page, cases));
      } catch (error) {
        // The back end keeps a few views; an old one is ranked again rather than shown broken.
        if (error instanceof ApiError && /expired/i.test(error.message)) void runQuery(client);
        else useGalleryStore.setState({ failure: errorMessage(error) });
      } finally {
        inFlight.delete(`${view.id}:${page}`);
      }
    }),
  );
}

function withPage(state: GalleryState, page: number, cases: readonly HardCase[]): Partial<GalleryState> {
  const pages = new Map(state.pages);
  pages.set(page, cases);
  const indexOf = new Map(state.indexOf);
  cases.forEach((item, i) => indexOf.set(item.hash, page * PAGE_SIZE + i));
  return { pages, indexOf };
}

/** Puts a labelling step's outcome into the loaded cards, and the counters. */
function applyChange(change: LabelChange, then: (state: GalleryState) => Partial<GalleryState> = () => ({})): void {
  useGalleryStore.setState((state) => {
    const pages = new Map(state.pages);
    for (const [hash, label] of Object.entries(change.labels)) {
      const index = state.indexOf.get(hash);
      if (index === undefined) continue;
      const page = Math.floor(index / PAGE_SIZE);
      const cases = [...(pages.get(page) ?? [])];
      const item = cases[index % PAGE_SIZE];
      if (!item) continue;
      cases[index % PAGE_SIZE] = { ...item, label, uniqueness: label === 'unlabelled' ? item.uniqueness : null };
      pages.set(page, cases);
    }
    // One update with whatever follows (the focus moving on), so the grid commits once.
    return { pages, counts: change.counts, ...then(state) };
  });
}

/**
 * Labels the cases at these positions as one step; the cards change once the back end has the
 * labels on disk, together with whatever `then` moves (the focus).
 */
export async function labelIndices(
  client: OperatorClient,
  indices: readonly number[],
  label: HardCaseLabel,
  then?: (state: GalleryState) => Partial<GalleryState>,
): Promise<void> {
  const state = useGalleryStore.getState();
  const missing = indices.filter((index) => !caseAt(state, index));
  if (missing.length > 0) await ensureLoaded(client, Math.min(...missing), Math.max(...missing) + 1);
  const loaded = useGalleryStore.getState();
  const hashes = indices.map((index) => caseAt(loaded, index)?.hash).filter((hash): hash is string => !!hash);
  if (hashes.length === 0) return;
  try {
    const change = await client.call('hardcases.label', { hashes, label });
    markLabelAnswered();
    applyChange(change, then);
  } catch (error) {
    useGalleryStore.setState({ failure: `Not labelled: ${errorMessage(error)}` });
    throw error;
  }
}

/**
 * Labels the focused card (or the selection it is part of) and moves on to the card after it.
 * Queued behind any label still on its way, and acting on the focus as it is by then.
 */
export function labelAndAdvance(client: OperatorClient, label: HardCaseLabel): Promise<void> {
  markLabelKey();
  const next = labelQueue.then(async () => {
    const { selection, focus, view } = useGalleryStore.getState();
    const targets = targetsOf(selection, focus);
    if (targets.length === 0 || !view) return;
    const after = Math.min(view.total - 1, Math.max(...targets) + 1);
    await labelIndices(client, targets, label, () => ({
      focus: after,
      selection: { selected: new Set([after]), anchor: after },
    }));
  });
  labelQueue = next.catch(() => undefined);
  return next;
}

export function undoOrRedo(client: OperatorClient, direction: 'undo' | 'redo'): Promise<void> {
  const next = labelQueue.then(async () => {
    try {
      const change = await client.call(direction === 'undo' ? 'hardcases.undo' : 'hardcases.redo', {});
      if (!change) return;
      // The focus goes back to what changed, when it is in this view.
      applyChange(change, (state) => {
        const index = change.hashes.map((hash) => state.indexOf.get(hash)).find((i) => i !== undefined);
        return index === undefined ? {} : { focus: index, selection: { selected: new Set([index]), anchor: index } };
      });
    } catch (error) {
      useGalleryStore.setState({ failure: `${direction === 'undo' ? 'Undo' : 'Redo'} failed: ${errorMessage(error)}` });
    }
  });
  labelQueue = next;
  return next;
}
