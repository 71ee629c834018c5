import { create } from 'zustand';

export const PAGES = [
  { id: 'overview', label: 'Overview' },
  { id: 'challenges', label: 'Challenges' },
  { id: 'metagraph', label: 'Metagraph' },
  { id: 'hard-cases', label: 'Hard cases' },
  { id: 'training', label: 'Training' },
  { id: 'models', label: 'Models' },
  { id: 'earnings', label: 'Earnings' },
  { id: 'settings', label: 'Settings' },
] as const;

export type PageId = (typeof PAGES)[number]['id'];

export function pageFromHash(hash: string): PageId {
  const id = hash.replace(/^#\/?/, '');
  return PAGES.find((page) => page.id === id)?.id ?? 'overview';
}

interface NavStore {
  page: PageId;
}

/** The page lives in the URL hash, so a reload (or a bookmark of a headless console) keeps it. */
export const useNavStore = create<NavStore>(() => ({ page: pageFromHash(location.hash) }));

export function navigate(page: PageId): void {
  if (location.hash !== `#/${page}`) location.hash = `#/${page}`;
  useNavStore.setState({ page });
}

export function followHash(): () => void {
  const onChange = (): void => useNavStore.setState({ page: pageFromHash(location.hash) });
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}
