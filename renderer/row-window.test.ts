import { describe, expect, it } from 'vitest';
import { rowWindow } from './row-window.js';

describe('the rows a scrolled list renders', () => {
  it('renders what the viewport shows plus the overscan, and stands in for the rest', () => {
    // 50,000 rows of 56 px, a 560 px viewport scrolled to row 1,000.
    const window = rowWindow(56_000, 560, 56, 50_000, 8);
    expect(window).toEqual({ start: 992, end: 1018, before: 992 * 56, after: (50_000 - 1018) * 56 });
    expect(window.before + (window.end - window.start) * 56 + window.after).toBe(50_000 * 56);
  });

  it('stays inside the list at both ends and when it is empty', () => {
    expect(rowWindow(0, 560, 56, 3)).toEqual({ start: 0, end: 3, before: 0, after: 0 });
    expect(rowWindow(10_000_000, 560, 56, 100)).toMatchObject({ start: 100, end: 100, after: 0 });
    expect(rowWindow(0, 560, 56, 0)).toEqual({ start: 0, end: 0, before: 0, after: 0 });
  });
});
