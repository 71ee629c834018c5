import { useEffect, type ReactElement } from 'react';
import { ConnectionBanner } from './components/ConnectionBanner.js';
import { PageErrorBoundary } from './components/PageErrorBoundary.js';
import { Sidebar } from './components/Sidebar.js';
import { ChallengesPage } from './pages/ChallengesPage.js';
import { HardCasesPage } from './pages/HardCasesPage.js';
import { MetagraphPage } from './pages/MetagraphPage.js';
import { ModelsPage } from './pages/ModelsPage.js';
import { EarningsPage } from './pages/EarningsPage.js';
import { OverviewPage } from './pages/OverviewPage.js';
import { SettingsPage } from './pages/SettingsPage.js';
import { TrainingPage } from './pages/TrainingPage.js';
import { useNavStore, type PageId } from './stores/nav-store.js';
import { useSettingsStore } from './stores/settings-store.js';
import { applyTheme } from './theme.js';

const PAGE_VIEWS: Record<PageId, () => ReactElement> = {
  overview: OverviewPage,
  challenges: ChallengesPage,
  metagraph: MetagraphPage,
  'hard-cases': HardCasesPage,
  training: TrainingPage,
  models: ModelsPage,
  earnings: EarningsPage,
  settings: SettingsPage,
};

export function App(): ReactElement {
  const page = useNavStore((store) => store.page);
  const theme = useSettingsStore((store) => store.settings?.ui.theme ?? 'system');
  useEffect(() => applyTheme(theme), [theme]);
  const Page = PAGE_VIEWS[page];
  return (
    <div className="shell">
      <button type="button" className="skip-link" onClick={() => document.getElementById('main')?.focus()}>
        Skip to content
      </button>
      <Sidebar current={page} />
      <div className="workspace">
        <ConnectionBanner />
        <main id="main" tabIndex={-1} aria-labelledby="page-title">
          <PageErrorBoundary page={page}>
            <Page />
          </PageErrorBoundary>
        </main>
      </div>
    </div>
  );
}
