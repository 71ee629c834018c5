import { loadavg } from 'node:os';
import type { Disposable, StreamSources } from '../../shared/contract.js';
import type { HostMetrics } from '../../shared/domain/app-info.js';
import { Emitter } from '../base/emitter.js';

const MB = 1024 * 1024;
const round1 = (value: number): number => Math.round(value * 10) / 10;

/**
 * Samples the back end's memory and event-loop lag. The lag is how late a timer fires: every
 * request the axon serves waits at least that long, so it is the first sign of an overloaded rig.
 */
export class HostMetricsService {
  private readonly onSampleEmitter = new Emitter<HostMetrics>();
  private readonly timer: ReturnType<typeof setInterval>;
  private latest: HostMetrics;
  private expected: number;

  constructor(private readonly intervalMs = 2000) {
    this.latest = this.sample(0);
    this.expected = performance.now() + intervalMs;
    this.timer = setInterval(() => {
      const now = performance.now();
      const lag = Math.max(0, now - this.expected);
      this.expected = now + this.intervalMs;
      this.latest = this.sample(lag);
      this.onSampleEmitter.fire(this.latest);
    }, intervalMs);
    this.timer.unref();
  }

  /** The latest sample at once, then one per interval. */
  stream(emit: (metrics: HostMetrics) => void): Disposable {
    emit(this.latest);
    return this.onSampleEmitter.event(emit);
  }

  streams(): StreamSources<'host.metrics'> {
    return {
      'host.metrics': (_params, emit) => this.stream(emit),
    };
  }

  dispose(): void {
    clearInterval(this.timer);
    this.onSampleEmitter.dispose();
  }

  private sample(lagMs: number): HostMetrics {
    const memory = process.memoryUsage();
    return {
      time: new Date().toISOString(),
      uptimeS: round1(process.uptime()),
      rssMb: round1(memory.rss / MB),
      heapUsedMb: round1(memory.heapUsed / MB),
      eventLoopLagMs: round1(lagMs),
      loadAverage1m: round1(loadavg()[0] ?? 0),
    };
  }
}
