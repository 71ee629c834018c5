import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogEntrySchema, MAX_LOG_BACKLOG } from '../../shared/domain/log.js';
import { useTempDirs } from '../../tests/temp-dir.js';
import { LogService } from './log-service.js';

const tempDir = useTempDirs();

describe('LogService', () => {
  it('writes JSON lines the operator can read with their own tools', async () => {
    const path = join(await tempDir(), 'logs', 'console.log');
    const log = new LogService({ filePath: path });
    log.forSource('miner').info('axon listening on 8091');
    log.forSource('host').warn('low disk');
    await log.close();
    const lines = (await readFile(path, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => LogEntrySchema.parse(JSON.parse(line)));
    expect(lines.map((entry) => [entry.level, entry.source, entry.message])).toEqual([
      ['info', 'miner', 'axon listening on 8091'],
      ['warn', 'host', 'low disk'],
    ]);
  });

  it('replays a bounded backlog, then streams new entries', () => {
    const log = new LogService({ filePath: null });
    for (let i = 0; i < MAX_LOG_BACKLOG + 50; i++) log.write('info', 'test', `entry ${i}`);
    const seen: string[] = [];
    const subscription = log.stream(3, (entry) => seen.push(entry.message));
    log.write('info', 'test', 'live');
    subscription.dispose();
    log.write('info', 'test', 'after');
    expect(seen).toEqual([
      `entry ${MAX_LOG_BACKLOG + 47}`,
      `entry ${MAX_LOG_BACKLOG + 48}`,
      `entry ${MAX_LOG_BACKLOG + 49}`,
      'live',
    ]);
    expect(log.recent(MAX_LOG_BACKLOG * 2)).toHaveLength(MAX_LOG_BACKLOG);
  });

  it('keeps logging in memory when the file cannot be written, and says so once', async () => {
    const dir = await tempDir();
    // The log file's path is a folder: every write fails, as on a full or read-only disk.
    const log = new LogService({ filePath: dir });
    const said = (): string[] => log.recent(10).map((entry) => entry.message);
    log.write('info', 'test', 'first');
    await expect.poll(() => said().some((message) => message.includes('cannot be written'))).toBe(true);
    log.write('info', 'test', 'second');
    const messages = said();
    expect(messages).toContain('second');
    expect(messages.filter((message) => message.includes('cannot be written'))).toHaveLength(1);
  });

  it('cuts an oversized message instead of refusing it', () => {
    const log = new LogService({ filePath: null });
    const entry = log.write('info', 'test', 'x'.repeat(10_000));
    expect(LogEntrySchema.safeParse(entry).success).toBe(true);
    expect(entry.message.endsWith('…')).toBe(true);
  });
});
