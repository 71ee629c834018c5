import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { Disposable, StreamSources } from '../../shared/contract.js';
import { MAX_LOG_BACKLOG, type LogEntry, type LogLevel } from '../../shared/domain/log.js';
import { Emitter } from '../base/emitter.js';

const MAX_MESSAGE_CHARS = 4000;

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface LogServiceOptions {
  /** Appended to as JSON lines; null keeps the log in memory only (tests). */
  filePath: string | null;
  /** Also echo each entry to a terminal: a headless host or `npm run mine`. */
  echo?: false | 'stdout' | 'stderr';
}

/**
 * The back end's log: a ring buffer the console replays on connect, a JSON-lines file for the
 * operator's own tools, and a live stream. A failing file (a full disk) never stops logging.
 */
export class LogService {
  private readonly entries: LogEntry[] = [];
  private readonly onEntryEmitter = new Emitter<LogEntry>();
  private seq = 0;
  private file: WriteStream | null = null;
  private fileFailed = false;

  readonly onEntry = this.onEntryEmitter.event;

  constructor(private readonly options: LogServiceOptions) {
    if (options.filePath) {
      mkdirSync(dirname(options.filePath), { recursive: true });
      this.file = createWriteStream(options.filePath, { flags: 'a', mode: 0o600 });
      this.file.on('error', (error) => this.fileBroke(error));
    }
  }

  forSource(source: string): Logger {
    return {
      debug: (message) => this.write('debug', source, message),
      info: (message) => this.write('info', source, message),
      warn: (message) => this.write('warn', source, message),
      error: (message) => this.write('error', source, message),
    };
  }

  write(level: LogLevel, source: string, message: string): LogEntry {
    const entry: LogEntry = {
      seq: this.seq++,
      time: new Date().toISOString(),
      level,
      source,
      message: message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS - 1)}…` : message,
    };
    this.entries.push(entry);
    if (this.entries.length > MAX_LOG_BACKLOG) this.entries.shift();
    if (this.file && !this.fileFailed) this.file.write(`${JSON.stringify(entry)}\n`);
    if (this.options.echo)
      process[this.options.echo].write(`${entry.time} ${level.padEnd(5)} [${source}] ${entry.message}\n`);
    this.onEntryEmitter.fire(entry);
    return entry;
  }

  recent(count: number): LogEntry[] {
    return count <= 0 ? [] : this.entries.slice(-count);
  }

  /** The last `backlog` entries, then every new one. */
  stream(backlog: number, emit: (entry: LogEntry) => void): Disposable {
    for (const entry of this.recent(backlog)) emit(entry);
    return this.onEntry(emit);
  }

  streams(): StreamSources<'log.entries'> {
    return {
      'log.entries': ({ backlog }, emit) => this.stream(backlog, emit),
    };
  }

  /** How many live streams read the log (a closed console must not leave one behind). */
  get subscriberCount(): number {
    return this.onEntryEmitter.listenerCount;
  }

  async close(): Promise<void> {
    const file = this.file;
    this.file = null;
    this.onEntryEmitter.dispose();
    if (file && !this.fileFailed) await new Promise<void>((resolve) => file.end(resolve));
  }

  private fileBroke(error: Error): void {
    if (this.fileFailed) return;
    this.fileFailed = true;
    this.write(
      'error',
      'log',
      `The log file ${this.options.filePath} cannot be written (${error.message}); the log is kept in memory only.`,
    );
  }
}
