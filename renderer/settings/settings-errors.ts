import type { z } from 'zod';
import { applySettingsPatch, SettingsSchema, type Settings, type SettingsPatch } from '../../shared/domain/settings.js';

/** The settings schema's messages by field, keyed "section.field" (e.g. "schedule.start"). */
export type SettingsFieldErrors = Readonly<Record<string, string>>;

/**
 * Checks a patch the way the back end will (the same schema on the patched settings), so each
 * message can stand by its field before anything is sent. Empty when the patch is valid.
 */
export function settingsFieldErrors(settings: Settings, patch: SettingsPatch): SettingsFieldErrors {
  const parsed = SettingsSchema.safeParse(applySettingsPatch(settings, patch));
  if (parsed.success) return {};
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.slice(0, 2).map(String).join('.');
    errors[key] ??= readableIssue(issue);
  }
  return errors;
}

/** Zod's wording for numbers ("expected number, received NaN", "Too small: …") in the operator's terms. */
export function readableIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.expected === 'number') return 'must be a number';
  if (issue.code === 'too_small' && issue.origin === 'number') return `must be at least ${String(issue.minimum)}`;
  if (issue.code === 'too_big' && issue.origin === 'number') return `must be at most ${String(issue.maximum)}`;
  return issue.message;
}

/** A number field as typed: empty is not zero, and "abc" stays NaN for the schema to name. */
export function typedNumber(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}
