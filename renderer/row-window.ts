export interface RowWindow {
  /** The first row to render. */
  start: number;
  /** One past the last row to render. */
  end: number;
  /** Space standing in for the rows above and below the window, in pixels. */
  before: number;
  after: number;
}

/** The rows a viewport shows, with `overscan` more on each side so a fast scroll never shows a gap. */
export function rowWindow(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  overscan = 8,
): RowWindow {
  const start = Math.min(count, Math.max(0, Math.floor(scrollTop / rowHeight) - overscan));
  const end = Math.max(start, Math.min(count, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan));
  return { start, end, before: start * rowHeight, after: (count - end) * rowHeight };
}
