import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectToBackEnd } from './api/connect.js';
import { App } from './App.js';
import { ClientContext } from './client-context.js';
import { followHash } from './stores/nav-store.js';
import { wireStores } from './stores/wire-stores.js';
import './styles.css';

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
