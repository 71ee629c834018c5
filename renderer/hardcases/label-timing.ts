/**
 * User Timing for label-and-advance, read by the gallery benchmark (and visible in DevTools'
 * Performance panel). A key press marks `label-key`; the back end's answer marks `label-answered`;
 * the grid's commit measures from both. A drag labels without a key, so only the UI step is
 * measured then; a measure from a mark that is missing would throw, and in a layout effect that
 * takes the whole page down.
 */
const KEY = 'label-key';
const ANSWERED = 'label-answered';

const marked = (name: string): boolean => performance.getEntriesByName(name, 'mark').length > 0;

export function markLabelKey(): void {
  performance.mark(KEY);
}

export function markLabelAnswered(): void {
  performance.mark(ANSWERED);
}

/** Called once the grid has committed a label change. */
export function measureLabelStep(): void {
  if (!marked(ANSWERED)) return;
  performance.measure('label-ui-step', ANSWERED);
  if (marked(KEY)) performance.measure('label-and-advance', KEY);
  performance.clearMarks(ANSWERED);
  performance.clearMarks(KEY);
}
