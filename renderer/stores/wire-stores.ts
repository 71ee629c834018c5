import type { OperatorClient } from '../../shared/client.js';
import type { ApiError } from '../../shared/errors.js';
import { appendMetrics, useAppStore } from './app-store.js';
import { appendChallenges, useChallengeStore } from './challenge-store.js';
import { useConnectionStore } from './connection-store.js';
import { appendLogEntries, useLogStore } from './log-store.js';
import { useMinerStore } from './miner-store.js';
import { useSettingsStore } from './settings-store.js';
import { useVlmStore } from './vlm-store.js';
import { useMetagraphStore } from './metagraph-store.js';
import { useGalleryStore } from '../hardcases/gallery-store.js';
import { receiveRuns, reportTrainingFailure } from '../training/training-store.js';

/**
 * Feeds every store from its event stream. Streams, not components, own the data: a page that
 * is not on screen still has current state when the operator opens it.
 */
export function wireStores(client: OperatorClient): () => void {
  // A failed stream ends (or broke the contract): the banner says so, since what it feeds stops changing.
  const reportError = (error: ApiError): void => useConnectionStore.setState({ lastError: error.message });
  // A load that failed because the link dropped is made again when it is back; the banner says that already.
  const reportLoadError = (error: ApiError): void => {
    if (error.code !== 'unavailable') reportError(error);
  };
  const loadInfo = (): void => {
    client.call('app.info', {}).then((info) => useAppStore.setState({ info }), reportLoadError);
  };

  // The history gains a point per tempo: fetch it again when the metagraph's block moves on.
  let historyBlock = -1;
  const loadHistory = (): void => {
    client
      .call('metagraph.history', { limit: 500 })
      .then((history) => useMetagraphStore.setState({ history }), reportLoadError);
  };

  const disposers = [
    client.onConnectionChange((state) => {
      useConnectionStore.setState({ state });
      if (state === 'open') loadInfo();
    }),
    client.subscribe(
      'miner.status',
      {},
      (events) => useMinerStore.setState({ status: events.at(-1) ?? null }),
      reportError,
    ),
    client.subscribe(
      'metagraph.view',
      {},
      (events) => {
        const view = events.at(-1) ?? null;
        useMetagraphStore.setState({ view });
        const block = view?.metagraph?.block ?? -1;
        if (block !== historyBlock) {
          historyBlock = block;
          loadHistory();
        }
      },
      reportError,
    ),
    client.subscribe(
      'vlm.status',
      {},
      (events) => useVlmStore.setState({ status: events.at(-1) ?? null }),
      reportError,
    ),
    client.subscribe(
      'settings.changed',
      {},
      (events) => useSettingsStore.setState({ settings: events.at(-1) ?? null }),
      reportError,
    ),
    client.subscribe(
      'log.entries',
      { backlog: 200 },
      (events) => useLogStore.setState((store) => ({ entries: appendLogEntries(store.entries, events) })),
      reportError,
    ),
    client.subscribe(
      'challenges.live',
      { backlog: 1000 },
      (events) => useChallengeStore.setState((store) => ({ records: appendChallenges(store.records, events) })),
      reportError,
    ),
    client.subscribe(
      'hardcases.counts',
      {},
      (events) => useGalleryStore.setState({ counts: events.at(-1) ?? null }),
      reportError,
    ),
    client.subscribe(
      'training.runs',
      {},
      (events) => {
        const runs = events.at(-1);
        if (runs) receiveRuns(runs);
      },
      reportTrainingFailure,
    ),
    client.subscribe(
      'host.metrics',
      {},
      (events) => useAppStore.setState((store) => ({ metrics: appendMetrics(store.metrics, events) })),
      reportError,
    ),
  ];
  return () => {
    for (const dispose of disposers) dispose();
  };
}
