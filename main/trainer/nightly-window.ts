/**
 * The nightly training window as times on the calendar: `settings.schedule.start`–`end` in the
 * machine's local time zone. Pure functions over `Date`s; the scheduler that acts on them is
 * `nightly-schedule.ts`.
 *
 * Decisions:
 * - A window runs from its start (inclusive) to its end (exclusive). When `end` is not after
 *   `start` on the clock (23:00–01:00) the window ends on the next day.
 * - `start == end` is an EMPTY window: nothing is ever inside it and no run starts. (Reading it as
 *   "all day" would let one typo keep the GPU busy around the clock; 00:00–23:59 is the way to ask
 *   for a whole day.)
 * - Local time, across daylight-saving changes: window edges are computed on the calendar
 *   (`new Date(year, month, day, hour, minute)`), never by adding 24 hours, so 23:00 stays 23:00 on
 *   the night the clocks move. A clock time the change skips (02:30 on a spring-forward night) is
 *   read as JavaScript reads it, the same instant as the minutes past the skipped hour (03:30); a
 *   clock time that happens twice (autumn) is its first occurrence.
 * - A window belongs to the local date it starts on (`windowKey`): "one run per window" is one
 *   per night even when the operator edits the start time in the middle of it.
 */
import type { Settings } from '../../shared/domain/settings.js';

export type ScheduleTimes = Pick<Settings['schedule'], 'start' | 'end'>;

export interface NightlyWindow {
  /** The local date the window starts on, `YYYY-MM-DD`: its identity. */
  key: string;
  start: Date;
  /** Exclusive. */
  end: Date;
}

/** `HH:MM` as hours and minutes. The settings schema has already checked the form. */
function clockOf(time: string): { hour: number; minute: number } {
  const [hour, minute] = time.split(':').map(Number);
  return { hour: hour!, minute: minute! };
}

function minutesOf(time: string): number {
  const { hour, minute } = clockOf(time);
  return hour * 60 + minute;
}

/** The instant a local clock time falls on, `dayOffset` calendar days after `day`'s date. */
function atLocal(day: Date, time: string, dayOffset = 0): Date {
  const { hour, minute } = clockOf(time);
  return new Date(day.getFullYear(), day.getMonth(), day.getDate() + dayOffset, hour, minute);
}

export function isEmptyWindow(times: ScheduleTimes): boolean {
  return times.start === times.end;
}

/** The local date of an instant, `YYYY-MM-DD`. */
export function localDateKey(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** The window that starts on the local date of `day` (whatever the time of `day`); null when empty. */
export function windowStartingOn(times: ScheduleTimes, day: Date): NightlyWindow | null {
  if (isEmptyWindow(times)) return null;
  const start = atLocal(day, times.start);
  return { key: localDateKey(start), start, end: windowEnd(times, start) };
}

/**
 * When the window that starts at `start` ends: the end clock time on the same local date, or on
 * the next one when the window crosses midnight.
 */
export function windowEnd(times: ScheduleTimes, start: Date): Date {
  const crossesMidnight = minutesOf(times.end) <= minutesOf(times.start);
  return atLocal(start, times.end, crossesMidnight ? 1 : 0);
}

/** The window `at` is inside, or null. Only yesterday's window can still be open today. */
export function windowAt(times: ScheduleTimes, at: Date): NightlyWindow | null {
  for (const dayOffset of [0, -1]) {
    const day = new Date(at.getFullYear(), at.getMonth(), at.getDate() + dayOffset, 12);
    const window = windowStartingOn(times, day);
    if (window && window.start <= at && at < window.end) return window;
  }
  return null;
}

export function isInWindow(times: ScheduleTimes, at: Date): boolean {
  return windowAt(times, at) !== null;
}

/** The first window that starts after `at` (strictly); null when the window is empty. */
export function nextWindowStart(times: ScheduleTimes, at: Date): Date | null {
  for (const dayOffset of [0, 1, 2]) {
    const day = new Date(at.getFullYear(), at.getMonth(), at.getDate() + dayOffset, 12);
    const window = windowStartingOn(times, day);
    if (window && window.start > at) return window.start;
  }
  return null;
}
