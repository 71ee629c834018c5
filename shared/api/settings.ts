/** The Settings area's part of the contract: reading, changing and following the persisted settings. */
import { command, NoInput, stream } from '../contract-spec.js';
import { SettingsPatchSchema, SettingsSchema } from '../domain/settings.js';

export const settingsCommands = {
  'settings.get': command({
    request: NoInput,
    response: SettingsSchema,
    summary: 'The persisted settings.',
  }),
  'settings.update': command({
    request: SettingsPatchSchema,
    response: SettingsSchema,
    summary: 'Apply a partial change, persist it durably, and return the whole new settings.',
  }),
} as const;

export const settingsStreams = {
  'settings.changed': stream({
    params: NoInput,
    event: SettingsSchema,
    summary: 'The current settings at once, then every change from any console.',
  }),
} as const;
