import type { Neuron } from '../shared/domain/metagraph.js';

export type NeuronColumn = 'uid' | 'stake' | 'incentive' | 'emission' | 'dividends' | 'lastUpdate' | 'registeredAt';
export type SortDirection = 'asc' | 'desc';
export type NeuronRole = 'all' | 'miners' | 'validators';

export interface NeuronQuery {
  sortBy: NeuronColumn;
  direction: SortDirection;
  role: NeuronRole;
  /** Matches a uid exactly, or part of a hotkey, coldkey or axon ip. */
  text: string;
}

/**
 * The Metagraph table's rows: filtered, sorted, and our own row pinned on top whatever the
 * filter (the operator never loses sight of it).
 */
export function neuronRows(neurons: readonly Neuron[], query: NeuronQuery, ourHotkey: string | null): Neuron[] {
  const text = query.text.trim().toLowerCase();
  const matches = (n: Neuron): boolean => {
    if (query.role === 'miners' && n.validatorPermit) return false;
    if (query.role === 'validators' && !n.validatorPermit) return false;
    if (!text) return true;
    if (/^\d+$/.test(text)) return n.uid === Number(text);
    return [n.hotkey, n.coldkey, n.axon?.ip ?? ''].some((field) => field.toLowerCase().includes(text));
  };
  const sign = query.direction === 'asc' ? 1 : -1;
  const sorted = neurons
    .filter((n) => n.hotkey !== ourHotkey && matches(n))
    .sort((a, b) => sign * (a[query.sortBy] - b[query.sortBy]) || a.uid - b.uid);
  const ours = neurons.find((n) => n.hotkey === ourHotkey);
  return ours ? [ours, ...sorted] : sorted;
}
