import { describe, expect, it } from 'vitest';
import { boxSelect, clickSelect, EMPTY_SELECTION, targetsOf } from './selection.js';

const plain = { shift: false, toggle: false };

describe('gallery selection', () => {
  it('selects one on a click, toggles with Ctrl, and takes a range with Shift', () => {
    let selection = clickSelect(EMPTY_SELECTION, 4, plain);
    expect([...selection.selected]).toEqual([4]);
    selection = clickSelect(selection, 7, { shift: true, toggle: false });
    expect([...selection.selected].sort()).toEqual([4, 5, 6, 7]);
    selection = clickSelect(selection, 2, { shift: true, toggle: false });
    expect([...selection.selected].sort()).toEqual([2, 3, 4]);
    selection = clickSelect(selection, 9, { shift: false, toggle: true });
    expect([...selection.selected].sort()).toEqual([2, 3, 4, 9]);
    selection = clickSelect(selection, 3, { shift: false, toggle: true });
    expect([...selection.selected].sort()).toEqual([2, 4, 9]);
  });

  it('replaces the selection with a drag-box, or adds to it', () => {
    const start = clickSelect(EMPTY_SELECTION, 1, plain);
    expect([...boxSelect(start, [5, 6], false).selected]).toEqual([5, 6]);
    expect([...boxSelect(start, [5, 6], true).selected].sort()).toEqual([1, 5, 6]);
  });

  it('labels the whole selection from a card in it, and a card alone otherwise', () => {
    const selection = boxSelect(EMPTY_SELECTION, [3, 1, 2], false);
    expect(targetsOf(selection, 2)).toEqual([1, 2, 3]);
    expect(targetsOf(selection, 8)).toEqual([8]);
    expect(targetsOf(EMPTY_SELECTION, -1)).toEqual([]);
  });
});
