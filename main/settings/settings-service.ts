import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommandHandlers, Disposable, StreamSources } from '../../shared/contract.js';
import { ApiError, describeZodError, errorMessage } from '../../shared/errors.js';
import {
  DEFAULT_SETTINGS,
  SettingsSchema,
  applySettingsPatch,
  type Settings,
  type SettingsPatch,
} from '../../shared/domain/settings.js';
import { Emitter } from '../base/emitter.js';
import { writeFileDurably } from '../base/durable-file.js';
import type { Logger } from '../log/log-service.js';

export const SETTINGS_FILE = 'settings.json';

/**
 * The operator's settings, persisted as JSON in the data folder. Every update is on disk before
 * it is answered. A file that cannot be read is moved aside (never deleted) and defaults apply.
 */
export class SettingsService {
  private readonly onDidChangeEmitter = new Emitter<Settings>();
  private current: Settings;
  private writing: Promise<unknown> = Promise.resolve();

  readonly onDidChange = this.onDidChangeEmitter.event;

  private constructor(
    private readonly path: string,
    initial: Settings,
    private readonly log: Logger,
  ) {
    this.current = initial;
  }

  static async open(dataDir: string, log: Logger): Promise<SettingsService> {
    const path = join(dataDir, SETTINGS_FILE);
    const initial = await loadSettings(path, log);
    return new SettingsService(path, initial, log);
  }

  get(): Settings {
    return this.current;
  }

  /** The current settings at once, then every change. */
  stream(emit: (settings: Settings) => void): Disposable {
    emit(this.current);
    return this.onDidChange(emit);
  }

  update(patch: SettingsPatch): Promise<Settings> {
    // Serialised, so two quick updates cannot interleave their writes and lose one.
    const next = this.writing.then(() => this.applyAndPersist(patch));
    this.writing = next.catch(() => undefined);
    return next;
  }

  handlers(): CommandHandlers<'settings.get' | 'settings.update'> {
    return {
      'settings.get': () => Promise.resolve(this.get()),
      'settings.update': (patch) => this.update(patch),
    };
  }

  streams(): StreamSources<'settings.changed'> {
    return {
      'settings.changed': (_params, emit) => this.stream(emit),
    };
  }

  dispose(): void {
    this.onDidChangeEmitter.dispose();
  }

  private async applyAndPersist(patch: SettingsPatch): Promise<Settings> {
    const parsed = SettingsSchema.safeParse(applySettingsPatch(this.current, patch));
    if (!parsed.success) throw new ApiError('invalid_request', describeZodError(parsed.error));
    try {
      await writeFileDurably(this.path, `${JSON.stringify(parsed.data, null, 2)}\n`);
    } catch (error) {
      const reason = errorMessage(error);
      throw new ApiError('failed', `The settings could not be saved to ${this.path} (${reason}); nothing changed.`);
    }
    this.current = parsed.data;
    this.log.info(`Settings saved: ${describePatch(patch)}`);
    this.onDidChangeEmitter.fire(parsed.data);
    return parsed.data;
  }
}

async function loadSettings(path: string, log: Logger): Promise<Settings> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_SETTINGS;
    throw error;
  }
  let problem: string;
  try {
    // Fields added by later versions get their defaults; sections are merged one level deep.
    const stored: unknown = JSON.parse(text);
    if (!isSectionedObject(stored)) throw new Error('it is not an object of settings sections');
    const merged = applySettingsPatch(DEFAULT_SETTINGS, stored);
    const parsed = SettingsSchema.safeParse(merged);
    if (parsed.success) return parsed.data;
    problem = describeZodError(parsed.error);
  } catch (error) {
    problem = errorMessage(error);
  }
  const aside = `${path}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  await rename(path, aside);
  log.error(
    `The settings file ${path} could not be read (${problem}). It was kept as ${aside}; defaults apply until you save.`,
  );
  return DEFAULT_SETTINGS;
}

function isSectionedObject(value: unknown): value is Record<string, object> {
  const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null && !Array.isArray(v);
  return isObject(value) && Object.values(value).every(isObject);
}

function describePatch(patch: SettingsPatch): string {
  const fields = Object.entries(patch).flatMap(([section, values]) =>
    Object.keys(values ?? {}).map((key) => `${section}.${key}`),
  );
  return fields.length > 0 ? fields.join(', ') : 'no change';
}
