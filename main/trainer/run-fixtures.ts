import type { NewRun } from './run-store.js';

/** A small CPU training run on a box named "box", as the run store's and the alerts' tests plant it. */
export function plantedRun(id: string, createdAt: string): NewRun {
  return {
    id,
    kind: 'train',
    hostId: 'box',
    hostLabel: 'me@box:22',
    state: 'running',
    detail: 'Training',
    reason: null,
    scheduled: false,
    params: {
      epochs: 1,
      maxSteps: null,
      batchSize: 4,
      base: 'small-cnn',
      syntheticShare: 0,
      count: null,
      device: 'cpu',
    },
    createdAt,
    remoteDir: `~/sv/runs/${id}`,
  };
}
