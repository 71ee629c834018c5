import type { CommandHandlers, Disposable, StreamSources } from '../../shared/contract.js';
import { ApiError } from '../../shared/errors.js';

type RunCommand = 'training.runs' | 'training.start' | 'training.cancel' | 'training.metrics' | 'training.log';

/** Training runs on a trainer host. Being built (issue 7): every command refuses clearly until then. */
export class TrainingService {
  handlers(): CommandHandlers<RunCommand> {
    const refuse = () => Promise.reject(new ApiError('failed', 'Training runs are not available yet.'));
    return {
      'training.runs': () => Promise.resolve([]),
      'training.start': refuse,
      'training.cancel': refuse,
      'training.metrics': ({ id }) => Promise.resolve({ runId: id, steps: [], epochs: [] }),
      'training.log': () => Promise.resolve({ lines: [] }),
    };
  }

  streams(): StreamSources<'training.runs' | 'training.metrics'> {
    const none: Disposable = { dispose: () => undefined };
    return {
      'training.runs': (_params, emit) => {
        emit([]);
        return none;
      },
      'training.metrics': ({ id }, emit) => {
        emit({ runId: id, steps: [], epochs: [], reset: true });
        return none;
      },
    };
  }

  dispose(): void {}
}
