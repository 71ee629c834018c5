import { describe, expect, it } from 'vitest';
import type { Neuron } from '../shared/domain/metagraph.js';
import { neuronRows } from './neuron-table.js';

const neuron = (uid: number, more: Partial<Neuron> = {}): Neuron => ({
  uid,
  hotkey: `5Hot${uid}`,
  coldkey: `5Cold${uid % 2}`,
  active: true,
  validatorPermit: false,
  stake: 0,
  incentive: uid / 10,
  consensus: 0,
  dividends: 0,
  trust: 0,
  rank: 0,
  emission: 0,
  lastUpdate: 0,
  registeredAt: 0,
  axon: null,
  ...more,
});

const neurons = [neuron(0, { validatorPermit: true, stake: 9 }), neuron(1), neuron(2), neuron(3), neuron(4)];

describe('the Metagraph table', () => {
  it('sorts by a column and keeps our row pinned on top', () => {
    const rows = neuronRows(neurons, { sortBy: 'incentive', direction: 'desc', role: 'all', text: '' }, '5Hot2');
    expect(rows.map((n) => n.uid)).toEqual([2, 4, 3, 1, 0]);
  });

  it('filters by role and by text, and still shows our row', () => {
    const miners = neuronRows(neurons, { sortBy: 'uid', direction: 'asc', role: 'validators', text: '' }, '5Hot3');
    expect(miners.map((n) => n.uid)).toEqual([3, 0]);
    const byColdkey = neuronRows(neurons, { sortBy: 'uid', direction: 'asc', role: 'all', text: 'cold1' }, null);
    expect(byColdkey.map((n) => n.uid)).toEqual([1, 3]);
    const byUid = neuronRows(neurons, { sortBy: 'uid', direction: 'asc', role: 'all', text: '4' }, null);
    expect(byUid.map((n) => n.uid)).toEqual([4]);
  });
});
