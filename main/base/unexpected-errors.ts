/**
 * The one place an error nobody foresaw goes: a listener that threw, a handler of a socket event,
 * a promise nobody awaited. Such an error is logged, never thrown into the event loop, where it
 * would end the host (and with it the miner). The host points the sink at its log once it has one;
 * until then it is the terminal.
 */
import type { Disposable } from '../../shared/contract.js';

/** `where` says what was running, in the log's words ("a listener of an event", "an HTTP upgrade"). */
export type UnexpectedErrorSink = (where: string, error: unknown) => void;

const toTerminal: UnexpectedErrorSink = (where, error) => console.error(`Unexpected error in ${where}:`, error);

let sink: UnexpectedErrorSink = toTerminal;
let reporting = false;

export function reportUnexpected(where: string, error: unknown): void {
  // A sink that fails, or that reaches this again (a log listener that throws), falls back to
  // the terminal rather than looping.
  if (reporting) return toTerminal(where, error);
  reporting = true;
  try {
    sink(where, error);
  } catch (sinkError) {
    toTerminal(where, error);
    toTerminal('the unexpected-error sink', sinkError);
  } finally {
    reporting = false;
  }
}

/** Sends unexpected errors to `next` until disposed; the previous sink applies again after. */
export function setUnexpectedErrorSink(next: UnexpectedErrorSink): Disposable {
  const previous = sink;
  sink = next;
  return { dispose: () => void (sink === next && (sink = previous)) };
}

/** One line for the log: the message and where it came from, without the whole stack. */
export function describeUnexpected(where: string, error: unknown): string {
  if (!(error instanceof Error)) return `Unexpected error in ${where}: ${String(error)}`;
  const origin = error.stack
    ?.split('\n')
    .slice(1)
    .find((line) => line.trim().startsWith('at '))
    ?.trim();
  return `Unexpected error in ${where}: ${error.message}${origin ? ` (${origin})` : ''}`;
}

/** A sink writing one line per error to a log (the host's, once it has one). */
export function logUnexpectedTo(log: { error(message: string): void }): UnexpectedErrorSink {
  return (where, error) => log.error(describeUnexpected(where, error));
}

/**
 * Keeps a host process alive through an error nobody caught: an uncaught exception or an
 * unhandled rejection is reported and the process goes on. A miner half-working is worth more
 * than a miner gone until someone notices; the error is in the log to be fixed.
 */
export function guardProcess(): Disposable {
  const onException = (error: unknown): void => reportUnexpected('the process (uncaught exception)', error);
  const onRejection = (reason: unknown): void => reportUnexpected('the process (unhandled rejection)', reason);
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return {
    dispose: () => {
      process.off('uncaughtException', onException);
      process.off('unhandledRejection', onRejection);
    },
  };
}
