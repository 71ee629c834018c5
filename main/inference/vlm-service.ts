/**
 * The second stage's server as the operator runs it: the supervisor, started with the serve
 * command and API URL the Settings give (Second stage), and refused with what to do when they
 * give none.
 */
import type { CommandHandlers, StreamSources } from '../../shared/contract.js';
import type { Settings } from '../../shared/domain/settings.js';
import type { VlmServerStatus } from '../../shared/domain/vlm-server.js';
import { ApiError } from '../../shared/errors.js';
import type { VlmServerSupervisor } from './vlm-server-supervisor.js';

export class VlmService {
  constructor(
    private readonly supervisor: VlmServerSupervisor,
    /** The second stage's settings, read at each start. */
    private readonly cascade: () => Settings['cascade'],
  ) {}

  start(): Promise<VlmServerStatus> {
    const { serveCommand, url } = this.cascade();
    if (serveCommand === null || url === null)
      return Promise.reject(
        new ApiError('failed', 'Give the second stage its serve command and API URL in Settings (Second stage) first.'),
      );
    return this.supervisor.start(serveCommand, url);
  }

  handlers(): CommandHandlers<'vlm.status' | 'vlm.start' | 'vlm.stop'> {
    return {
      'vlm.status': () => Promise.resolve(this.supervisor.getStatus()),
      'vlm.start': () => this.start(),
      'vlm.stop': () => this.supervisor.stop(),
    };
  }

  streams(): StreamSources<'vlm.status'> {
    return {
      'vlm.status': (_params, emit) => this.supervisor.stream(emit),
    };
  }

  /** Stops the server and every process it started (the console is closing). */
  async dispose(): Promise<void> {
    await this.supervisor.dispose();
  }
}
