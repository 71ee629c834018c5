import { useCallback, useEffect, useState, type UIEvent } from 'react';
import { rowWindow, type RowWindow } from './row-window.js';

/**
 * Virtual scrolling for a list of fixed-height rows: only what is on screen is in the DOM. The
 * element is taken by a callback ref, so a list that appears later (after an empty state) is
 * still measured.
 */
export function useRowWindow<E extends HTMLElement>(
  count: number,
  rowHeight: number,
): { attach: (element: E | null) => void; onScroll: (event: UIEvent<E>) => void; window: RowWindow } {
  const [element, setElement] = useState<E | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  // Until the first layout, assume a tall screen rather than render nothing.
  const [height, setHeight] = useState(1200);
  useEffect(() => {
    if (!element) return;
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  const onScroll = useCallback((event: UIEvent<E>) => setScrollTop(event.currentTarget.scrollTop), []);
  return { attach: setElement, onScroll, window: rowWindow(scrollTop, height, rowHeight, count) };
}
