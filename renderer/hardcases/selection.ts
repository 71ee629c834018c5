/**
 * Multi-select as file managers do it: a click selects one, Ctrl/Cmd-click toggles one,
 * Shift-click selects the range from the anchor, a drag-box selects what it covers (adding to
 * the selection with Ctrl/Cmd). Indices are positions in the gallery's view, which is a fixed
 * snapshot, so they stay valid while the operator works.
 */
export interface Selection {
  selected: ReadonlySet<number>;
  /** Where a Shift-click range starts. */
  anchor: number;
}

export const EMPTY_SELECTION: Selection = { selected: new Set(), anchor: -1 };

export interface ClickModifiers {
  shift: boolean;
  toggle: boolean;
}

export function clickSelect(current: Selection, index: number, modifiers: ClickModifiers): Selection {
  if (modifiers.shift && current.anchor >= 0) {
    const range = new Set(modifiers.toggle ? current.selected : []);
    const [from, to] = current.anchor <= index ? [current.anchor, index] : [index, current.anchor];
    for (let i = from; i <= to; i++) range.add(i);
    return { selected: range, anchor: current.anchor };
  }
  if (modifiers.toggle) {
    const toggled = new Set(current.selected);
    if (toggled.has(index)) toggled.delete(index);
    else toggled.add(index);
    return { selected: toggled, anchor: index };
  }
  return { selected: new Set([index]), anchor: index };
}

export function boxSelect(current: Selection, indices: readonly number[], add: boolean): Selection {
  const selected = new Set(add ? current.selected : []);
  for (const index of indices) selected.add(index);
  return { selected, anchor: indices[0] ?? current.anchor };
}

/**
 * What a label key or a drop acts on: the whole selection when the card in question is part of
 * it, else that card alone.
 */
export function targetsOf(selection: Selection, index: number): number[] {
  if (index >= 0 && selection.selected.has(index) && selection.selected.size > 1)
    return [...selection.selected].sort((a, b) => a - b);
  return index >= 0 ? [index] : [];
}
