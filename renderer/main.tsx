import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectToBackEnd } from './api/connect.js';
import { App } from './App.js';
import { ClientContext } from './client-context.js';
import { followHash } from './stores/nav-store.js';
import { wireStores } from './stores/wire-stores.js';
// The styles by feature, in this order: later files may refine earlier ones at equal specificity.
import './styles/theme.css';
import './styles/shell.css';
import './styles/common.css';
import './styles/controls.css';
import './styles/log.css';
import './styles/settings.css';
import './styles/miner.css';
import './styles/challenges.css';
import './styles/metagraph.css';
import './styles/hardcases.css';
import './styles/training.css';
import './styles/models.css';
import './styles/dialog.css';
import './styles/publish.css';
import './styles/terminal.css';
import './styles/earnings.css';
import './styles/alerts.css';

const client = connectToBackEnd();
wireStores(client);
followHash();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ClientContext.Provider value={client}>
      <App />
    </ClientContext.Provider>
  </StrictMode>,
);
