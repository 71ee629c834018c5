import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/domain/settings.js';
import { ApiError } from '../../shared/errors.js';
import { useTempDirs } from '../../tests/temp-dir.js';
import { LogService } from '../log/log-service.js';
import { SETTINGS_FILE, SettingsService } from './settings-service.js';

const tempDir = useTempDirs();
const memoryLog = (): LogService => new LogService({ filePath: null });

describe('SettingsService', () => {
  it('starts from the defaults when there is no file', async () => {
    const service = await SettingsService.open(await tempDir(), memoryLog().forSource('settings'));
    expect(service.get()).toEqual(DEFAULT_SETTINGS);
  });

  it('keeps an update on disk: a new service on the same folder reads it back', async () => {
    const dir = await tempDir();
    const first = await SettingsService.open(dir, memoryLog().forSource('settings'));
    await first.update({ axon: { port: 9100 }, ui: { theme: 'light' } });
    const second = await SettingsService.open(dir, memoryLog().forSource('settings'));
    expect(second.get().axon.port).toBe(9100);
    expect(second.get().ui.theme).toBe('light');
  });

  it('refuses an invalid update with the field named, and changes nothing on disk or in memory', async () => {
    const dir = await tempDir();
    const service = await SettingsService.open(dir, memoryLog().forSource('settings'));
    await service.update({ axon: { port: 9100 } });
    const before = await readFile(join(dir, SETTINGS_FILE), 'utf8');
    const attempt = service.update({ chain: { network: 'custom', endpoint: null } });
    await expect(attempt).rejects.toThrow(ApiError);
    await expect(attempt).rejects.toThrow(/chain\.endpoint/);
    expect(await readFile(join(dir, SETTINGS_FILE), 'utf8')).toBe(before);
    expect(service.get().chain.network).toBe('local');
  });

  it('moves an unreadable file aside, says where, and starts from the defaults', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, SETTINGS_FILE), '{"axon": {"port": 91');
    const log = memoryLog();
    const service = await SettingsService.open(dir, log.forSource('settings'));
    expect(service.get()).toEqual(DEFAULT_SETTINGS);
    const files = await readdir(dir);
    const aside = files.find((name) => name.startsWith(`${SETTINGS_FILE}.unreadable-`));
    expect(aside).toBeDefined();
    expect(await readFile(join(dir, aside!), 'utf8')).toBe('{"axon": {"port": 91');
    expect(log.recent(10).some((entry) => entry.level === 'error' && entry.message.includes(aside!))).toBe(true);
  });

  it('treats a file with out-of-range values as unreadable rather than half-applying it', async () => {
    const dir = await tempDir();
    await writeFile(
      join(dir, SETTINGS_FILE),
      JSON.stringify({ ...DEFAULT_SETTINGS, axon: { port: -4, externalIp: null } }),
    );
    const service = await SettingsService.open(dir, memoryLog().forSource('settings'));
    expect(service.get().axon.port).toBe(8091);
    expect((await readdir(dir)).some((name) => name.includes('.unreadable-'))).toBe(true);
  });

  it('fills in sections a newer version added when reading an older file', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, SETTINGS_FILE), JSON.stringify({ axon: { port: 9200 } }));
    const service = await SettingsService.open(dir, memoryLog().forSource('settings'));
    expect(service.get().axon.port).toBe(9200);
    expect(service.get().ui).toEqual(DEFAULT_SETTINGS.ui);
  });

  it('reports a write that fails, keeping the previous settings in force', async () => {
    const dir = await tempDir();
    const service = await SettingsService.open(dir, memoryLog().forSource('settings'));
    // A folder where the file should be makes the final rename fail, as a full or broken disk would.
    await mkdir(join(dir, SETTINGS_FILE, 'blocker'), { recursive: true });
    await expect(service.update({ axon: { port: 9300 } })).rejects.toThrow(/could not be saved.*nothing changed/);
    expect(service.get().axon.port).toBe(8091);
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('serialises concurrent updates so none is lost', async () => {
    const dir = await tempDir();
    const service = await SettingsService.open(dir, memoryLog().forSource('settings'));
    await Promise.all([service.update({ axon: { port: 9400 } }), service.update({ ui: { theme: 'dark' } })]);
    const reopened = await SettingsService.open(dir, memoryLog().forSource('settings'));
    expect(reopened.get().axon.port).toBe(9400);
    expect(reopened.get().ui.theme).toBe('dark');
  });

  it('tells subscribers the current settings at once, then each change', async () => {
    const service = await SettingsService.open(await tempDir(), memoryLog().forSource('settings'));
    const seen: number[] = [];
    const subscription = service.stream((settings) => seen.push(settings.axon.port));
    await service.update({ axon: { port: 9500 } });
    subscription.dispose();
    await service.update({ axon: { port: 9600 } });
    expect(seen).toEqual([8091, 9500]);
  });
});
