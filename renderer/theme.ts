import type { Settings } from '../shared/domain/settings.js';

type ThemeChoice = Settings['ui']['theme'];

/** Applies the operator's theme; `system` follows the OS and keeps following it. */
export function applyTheme(choice: ThemeChoice): () => void {
  const query = window.matchMedia('(prefers-color-scheme: light)');
  const apply = (): void => {
    const resolved = choice === 'system' ? (query.matches ? 'light' : 'dark') : choice;
    document.documentElement.dataset.theme = resolved;
  };
  apply();
  if (choice !== 'system') return () => undefined;
  query.addEventListener('change', apply);
  return () => query.removeEventListener('change', apply);
}
