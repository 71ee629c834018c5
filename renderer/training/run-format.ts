import type { RunGpu, RunProgress } from '../../shared/domain/training.js';
import { formatDuration } from '../format.js';

/** Time left as the operator reads it: "4m 10s", "about 2h 5m"; a dash when the trainer has no estimate yet. */
export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  if (seconds < 1) return 'under a second';
  // Hours-long estimates swing with every batch: the minutes are a guess, say so.
  return seconds >= 3600 ? `about ${formatDuration(seconds)}` : formatDuration(seconds);
}

export function formatThroughput(imagesPerSecond: number | null | undefined): string {
  if (imagesPerSecond === null || imagesPerSecond === undefined) return '—';
  return `${imagesPerSecond >= 100 ? Math.round(imagesPerSecond) : imagesPerSecond.toPrecision(3)} img/s`;
}

/** How far a run is, 0–1, or null when its total is unknown (the progress bar is then indeterminate). */
export function progressFraction(progress: RunProgress | null): number | null {
  if (!progress || progress.stepsTotal === null || progress.stepsTotal <= 0) return null;
  return Math.min(1, progress.step / progress.stepsTotal);
}

export function formatSteps(progress: RunProgress | null): string {
  if (!progress) return '';
  const total = progress.stepsTotal === null ? '' : ` / ${progress.stepsTotal.toLocaleString('en-US')}`;
  return `step ${progress.step.toLocaleString('en-US')}${total}`;
}

/** What the run computes on: the GPU with its use, "CPU" for a run under way without one, else a dash. */
export function formatGpu(gpu: RunGpu | null, running: boolean): string {
  if (!gpu) return running ? 'CPU' : '—';
  const use = gpu.utilizationPercent === null ? '' : ` ${Math.round(gpu.utilizationPercent)} %`;
  const memory =
    gpu.memoryUsedMiB !== null && gpu.memoryTotalMiB !== null
      ? `, ${(gpu.memoryUsedMiB / 1024).toFixed(1)} / ${(gpu.memoryTotalMiB / 1024).toFixed(1)} GiB`
      : '';
  return `${gpu.name}${use}${memory}`;
}

/** A metric in [0, 1] or [-1, 1] as a short figure; a dash when there is none yet. */
export function formatMetric(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value.toFixed(3);
}
