import { create } from 'zustand';
import type {
  HardCase,
  HardCaseCounts,
  HardCaseFacets,
  HardCaseFilter,
  HardCaseSort,
} from '../../shared/domain/hard-case.js';
import { EMPTY_SELECTION, type Selection } from './selection.js';

export const PAGE_SIZE = 200;

/**
 * The gallery: a ranked view of the cases (a snapshot on the back end, read a page at a time),
 * what of it is loaded, the selection and the focused card. Loaded pages live in a Map that is
 * replaced, never mutated, so a component that reads it re-renders when it changes.
 */
export interface GalleryState {
  filter: HardCaseFilter;
  sort: HardCaseSort;
  view: { id: string; total: number } | null;
  /** Loaded pages of the view, by page number. */
  pages: ReadonlyMap<number, readonly HardCase[]>;
  /** Where each loaded case sits in the view, so an undo finds its card. */
  indexOf: ReadonlyMap<string, number>;
  loading: boolean;
  failure: string | null;
  selection: Selection;
  focus: number;
  previewOpen: boolean;
  facets: HardCaseFacets | null;
  counts: HardCaseCounts | null;
  /** The total the view was ranked with, to say how many cases arrived since. */
  totalAtQuery: number;
}

export const useGalleryStore = create<GalleryState>(() => ({
  filter: { label: 'unlabelled' },
  sort: 'uncertainty',
  view: null,
  pages: new Map(),
  indexOf: new Map(),
  loading: false,
  failure: null,
  selection: EMPTY_SELECTION,
  focus: -1,
  previewOpen: false,
  facets: null,
  counts: null,
  totalAtQuery: 0,
}));

export function caseAt(state: Pick<GalleryState, 'pages'>, index: number): HardCase | undefined {
  return state.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
}
