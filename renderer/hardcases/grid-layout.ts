/**
 * The gallery's geometry: fixed-size cells in rows, so which cases are on screen, which a
 * drag-box covers and where an arrow key goes are arithmetic, whether or not a card is rendered.
 */
export interface GridLayout {
  columns: number;
  /** Cell size including the gap, in pixels. */
  cellWidth: number;
  cellHeight: number;
  count: number;
}

export const CARD_SIZE = 148;
export const CARD_GAP = 8;

export function gridLayout(width: number, count: number, card = CARD_SIZE, gap = CARD_GAP): GridLayout {
  const columns = Math.max(1, Math.floor((width + gap) / (card + gap)));
  return { columns, cellWidth: card + gap, cellHeight: card + gap, count };
}

export function contentHeight(layout: GridLayout): number {
  return Math.ceil(layout.count / layout.columns) * layout.cellHeight;
}

/** Where a cell sits in the scrolled content. */
export function cellPosition(layout: GridLayout, index: number): { left: number; top: number } {
  return {
    left: (index % layout.columns) * layout.cellWidth,
    top: Math.floor(index / layout.columns) * layout.cellHeight,
  };
}

/** The cells to render for a viewport, with `overscanRows` more above and below. */
export function visibleRange(
  layout: GridLayout,
  scrollTop: number,
  viewportHeight: number,
  overscanRows = 2,
): { start: number; end: number } {
  const firstRow = Math.max(0, Math.floor(scrollTop / layout.cellHeight) - overscanRows);
  const lastRow = Math.ceil((scrollTop + viewportHeight) / layout.cellHeight) + overscanRows;
  const start = Math.min(layout.count, firstRow * layout.columns);
  const end = Math.min(layout.count, Math.max(start, lastRow * layout.columns));
  return { start, end };
}

export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The cells a drag-box (in content coordinates) touches, in order. */
export function cellsInRect(layout: GridLayout, rect: Rect, card = CARD_SIZE): number[] {
  const touches = (start: number, end: number, cellStart: number): boolean =>
    end >= cellStart && start <= cellStart + card;
  const firstRow = Math.max(0, Math.floor(rect.top / layout.cellHeight));
  const lastRow = Math.floor(rect.bottom / layout.cellHeight);
  const found: number[] = [];
  for (let row = firstRow; row <= lastRow; row++) {
    if (!touches(rect.top, rect.bottom, row * layout.cellHeight)) continue;
    for (let column = 0; column < layout.columns; column++) {
      const index = row * layout.columns + column;
      if (index >= layout.count) return found;
      if (touches(rect.left, rect.right, column * layout.cellWidth)) found.push(index);
    }
  }
  return found;
}

export type Move = 'left' | 'right' | 'up' | 'down' | 'home' | 'end' | 'pageUp' | 'pageDown';

/** Where the focus goes on an arrow (or Home/End/Page) key; it stays inside the grid. */
export function moveFocus(layout: GridLayout, from: number, move: Move, rowsPerPage = 4): number {
  if (layout.count === 0) return -1;
  const step: Record<Move, number> = {
    left: -1,
    right: 1,
    up: -layout.columns,
    down: layout.columns,
    home: -Infinity,
    end: Infinity,
    pageUp: -layout.columns * rowsPerPage,
    pageDown: layout.columns * rowsPerPage,
  };
  const target = from + step[move];
  // Up from the first row or down from the last stays put rather than jumping to a corner.
  if ((move === 'up' || move === 'down') && (target < 0 || target >= layout.count)) return from;
  return Math.min(layout.count - 1, Math.max(0, target));
}

/** The scrollTop that brings a cell fully into view, or null when it already is. */
export function scrollToReveal(
  layout: GridLayout,
  index: number,
  scrollTop: number,
  viewportHeight: number,
): number | null {
  const top = Math.floor(index / layout.columns) * layout.cellHeight;
  if (top < scrollTop) return top;
  const bottom = top + layout.cellHeight;
  if (bottom > scrollTop + viewportHeight) return bottom - viewportHeight;
  return null;
}
