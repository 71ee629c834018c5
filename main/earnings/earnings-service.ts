/**
 * The earnings room: reads our emission from the metagraph history, the costs and prices from
 * the settings and the imported price list, and answers the earnings commands and stream.
 */
import type { CommandHandlers, Disposable, StreamSources } from '../../shared/contract.js';
import type { EarningsSummary, EmissionReading, PriceImport } from '../../shared/domain/earnings.js';
import type { Settings } from '../../shared/domain/settings.js';
import { ApiError } from '../../shared/errors.js';
import { combineDisposables, Emitter } from '../base/emitter.js';
import type { Db } from '../store/database.js';
import { earningsCsv } from './earnings-csv.js';
import { earningsSummary } from './earnings-summary.js';
import { parsePriceCsv, PriceCsvError } from './price-csv.js';
import { PriceStore } from './price-store.js';

/** Where the readings come from (the metagraph history) and when a new one is on disk. */
export interface EmissionHistory {
  emissionReadings(): EmissionReading[];
  onDidRecord(listener: () => void): Disposable;
}

export interface EarningsDependencies {
  db: Db;
  history: EmissionHistory;
  settings: { get(): Settings; onDidChange(listener: (settings: Settings) => void): Disposable };
}

type EarningsCommand = 'earnings.summary' | 'earnings.csv' | 'earnings.importPrices';

export class EarningsService {
  private readonly prices: PriceStore;
  private readonly pricesChanged = new Emitter<void>();

  constructor(private readonly deps: EarningsDependencies) {
    this.prices = new PriceStore(deps.db);
  }

  summary(days: number): EarningsSummary {
    return earningsSummary(
      this.deps.history.emissionReadings(),
      this.deps.settings.get().economics,
      this.prices.all(),
      days,
    );
  }

  importPrices(csv: string): PriceImport {
    try {
      const imported = this.prices.save(parsePriceCsv(csv));
      this.pricesChanged.fire();
      return imported;
    } catch (error) {
      if (error instanceof PriceCsvError) throw new ApiError('failed', `Prices not imported. ${error.message}`);
      throw error;
    }
  }

  handlers(): CommandHandlers<EarningsCommand> {
    return {
      'earnings.summary': ({ days }) => Promise.resolve().then(() => this.summary(days)),
      'earnings.csv': ({ days }) =>
        Promise.resolve().then(() => {
          const summary = this.summary(days);
          const network = summary.network ? `${summary.network.source}-${summary.network.netuid}` : 'none';
          return {
            filename: `earnings-${network}-${new Date().toISOString().slice(0, 10)}.csv`,
            csv: earningsCsv(summary.days),
          };
        }),
      'earnings.importPrices': ({ csv }) => Promise.resolve().then(() => this.importPrices(csv)),
    };
  }

  streams(): StreamSources<'earnings.summary'> {
    return {
      'earnings.summary': ({ days }, emit) => {
        const send = (): void => emit(this.summary(days));
        send();
        let economics = JSON.stringify(this.deps.settings.get().economics);
        return combineDisposables(
          this.deps.history.onDidRecord(send),
          this.pricesChanged.event(send),
          // Only a change of costs or prices changes the earnings, not every settings save.
          this.deps.settings.onDidChange((settings) => {
            const next = JSON.stringify(settings.economics);
            if (next === economics) return;
            economics = next;
            send();
          }),
        );
      },
    };
  }

  dispose(): void {
    this.pricesChanged.dispose();
  }
}
