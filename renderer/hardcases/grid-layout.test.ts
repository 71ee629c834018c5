import { describe, expect, it } from 'vitest';
import { cellsInRect, gridLayout, moveFocus, scrollToReveal, visibleRange } from './grid-layout.js';

describe('the gallery grid', () => {
  const layout = gridLayout(1000, 50_000, 148, 8); // 6 columns of 156 px cells

  it('fits as many columns as the width holds', () => {
    expect(layout.columns).toBe(6);
    expect(gridLayout(100, 10, 148, 8).columns).toBe(1);
  });

  it('renders only the rows on screen and a margin, wherever the scroll is in 50,000 cases', () => {
    expect(visibleRange(layout, 0, 800, 2)).toEqual({ start: 0, end: 6 * 8 });
    const deep = visibleRange(layout, 156 * 5000, 800, 2);
    expect(deep.start).toBe(6 * 4998);
    expect(deep.end - deep.start).toBeLessThan(100);
    expect(visibleRange(layout, 156 * 9000, 800, 2).end).toBe(50_000);
  });

  it('selects what a drag-box covers, across rows, and nothing in the gaps', () => {
    expect(cellsInRect(layout, { left: 10, top: 10, right: 170, bottom: 170 })).toEqual([0, 1, 6, 7]);
    expect(cellsInRect(layout, { left: 149, top: 0, right: 155, bottom: 100 })).toEqual([]);
    const small = gridLayout(1000, 8, 148, 8);
    expect(cellsInRect(small, { left: 0, top: 0, right: 2000, bottom: 2000 })).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('moves the focus by arrow keys without leaving the grid', () => {
    expect(moveFocus(layout, 0, 'left')).toBe(0);
    expect(moveFocus(layout, 0, 'right')).toBe(1);
    expect(moveFocus(layout, 0, 'down')).toBe(6);
    expect(moveFocus(layout, 3, 'up')).toBe(3);
    expect(moveFocus(layout, 49_999, 'down')).toBe(49_999);
    expect(moveFocus(layout, 10, 'end')).toBe(49_999);
    expect(moveFocus(gridLayout(1000, 0), 0, 'right')).toBe(-1);
  });

  it('scrolls just enough to reveal the focused card', () => {
    expect(scrollToReveal(layout, 0, 0, 800)).toBeNull();
    expect(scrollToReveal(layout, 6 * 10, 0, 800)).toBe(156 * 11 - 800);
    expect(scrollToReveal(layout, 0, 500, 800)).toBe(0);
  });
});
