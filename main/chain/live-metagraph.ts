/**
 * The subnet's metagraph kept current: read at once, then again every few blocks as the chain's
 * block subscription ticks. Lookups by hotkey are what the axon's blacklist asks on every request.
 */
import type { Disposable } from '../../shared/contract.js';
import type { Metagraph, Neuron } from '../../shared/domain/metagraph.js';
import { Emitter } from '../base/emitter.js';
import type { Logger } from '../log/log-service.js';
import type { SubtensorClient } from './subtensor-client.js';
import { errorMessage } from '../../shared/errors.js';

export class LiveMetagraph {
  private byHotkey = new Map<string, Neuron>();
  private readonly changes = new Emitter<Metagraph>();
  private blocks: Disposable | null = null;
  private refreshing = false;
  private lastRead = 0;

  readonly onDidChange = this.changes.event;

  private constructor(
    private readonly client: Pick<SubtensorClient, 'metagraph' | 'onBlock'>,
    private readonly netuid: number,
    private readonly log: Logger,
    private metagraph: Metagraph,
  ) {
    this.index();
  }

  static async open(
    client: Pick<SubtensorClient, 'metagraph' | 'onBlock'>,
    netuid: number,
    log: Logger,
    refreshEveryBlocks = 5,
  ): Promise<LiveMetagraph> {
    const live = new LiveMetagraph(client, netuid, log, await client.metagraph(netuid));
    live.lastRead = live.metagraph.block;
    live.blocks = client.onBlock((block) => {
      if (block - live.lastRead >= refreshEveryBlocks) void live.refresh(block);
    });
    return live;
  }

  get current(): Metagraph {
    return this.metagraph;
  }

  neuron(hotkey: string): Neuron | null {
    return this.byHotkey.get(hotkey) ?? null;
  }

  dispose(): void {
    this.blocks?.dispose();
    this.changes.dispose();
  }

  private async refresh(block: number): Promise<void> {
    if (this.refreshing) return;
    this.refreshing = true;
    this.lastRead = block;
    try {
      this.metagraph = await this.client.metagraph(this.netuid);
      this.index();
      this.changes.fire(this.metagraph);
    } catch (error) {
      // The last good metagraph keeps serving the blacklist until the next read works.
      this.log.warn(`The metagraph could not be refreshed at block ${block}: ${errorMessage(error)}`);
    } finally {
      this.refreshing = false;
    }
  }

  private index(): void {
    this.byHotkey = new Map(this.metagraph.neurons.map((neuron) => [neuron.hotkey, neuron]));
  }
}
