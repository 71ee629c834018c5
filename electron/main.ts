/**
 * The desktop shell: one window onto the back end in `main/`, which it hosts in this process.
 * Everything here is window, menu and IPC plumbing; the product lives in `main/` and `renderer/`.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, screen, session, shell } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir } from '../main/app/data-dir.js';
import { findResourcesDir } from '../main/app/resources-dir.js';
import { guardProcess, logUnexpectedTo, setUnexpectedErrorSink } from '../main/base/unexpected-errors.js';
import { createHost, type Host } from '../main/host.js';
import { registerAppScheme, serveRenderer } from './app-protocol.js';
import { keychainSecretStore } from './secret-store.js';
import { APP_ORIGIN, isAppUrl } from './app-url.js';
import { bindIpc } from './ipc-binding.js';
import { electronNotifier } from './notifier.js';
import { buildMenu } from './menu.js';
import { utilityPtyHostLauncher, utilityWorkerLauncher } from './utility-worker.js';
import { loadWindowState, placeWindow, saveWindowState } from './window-state.js';
import { errorMessage } from '../shared/errors.js';

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = defaultDataDir();
let mainWindow: BrowserWindow | null = null;
let backEnd: Host | null = null;

// An error nobody caught is logged and the console (and its miner) keeps running, rather than
// Electron's own dialog over a main process in an unknown state.
guardProcess();
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  // One console per data folder: a second launch just brings the first one forward.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.setWindowOpenHandler(({ url }) => {
      if (/^https?:\/\//.test(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
  app.on('window-all-closed', () => app.quit());
  let closing = false;
  app.on('before-quit', (event) => {
    // Let the back end finish its writes (log, settings) before the process goes.
    if (closing || !backEnd) return;
    event.preventDefault();
    closing = true;
    void backEnd.close().finally(() => app.quit());
  });
  // A start that fails (the data folder held by another console, a database it cannot open)
  // says why in a dialog: the desktop app has no terminal to print it to.
  app
    .whenReady()
    .then(start)
    .catch(async (error: unknown) => {
      const reason = errorMessage(error);
      console.error(`The console could not start: ${reason}`);
      dialog.showErrorBox('StreetVision Console could not start', reason);
      await backEnd?.close().catch(() => undefined);
      app.exit(1);
    });
}

async function start(): Promise<void> {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  backEnd = await createHost({
    kind: 'electron',
    dataDir,
    resourcesDir: findResourcesDir(app.isPackaged ? process.resourcesPath : undefined),
    launchWorker: utilityWorkerLauncher(here),
    launchPtyHost: utilityPtyHostLauncher(here),
    secretStore: keychainSecretStore(dataDir),
    program: 'the desktop app',
    notifier: electronNotifier(() => {
      if (!mainWindow) return;
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.show();
      mainWindow.focus();
    }),
  });
  setUnexpectedErrorSink(logUnexpectedTo(backEnd.log.forSource('unexpected')));
  serveRenderer(join(here, '../renderer'));
  bindIpc(ipcMain, backEnd.endpoint, (event) => event.senderFrame !== null && isAppUrl(event.senderFrame.url));
  Menu.setApplicationMenu(buildMenu(app.isPackaged));
  await openWindow();
}

async function openWindow(): Promise<void> {
  const saved = await loadWindowState(dataDir);
  const bounds = placeWindow(
    saved?.bounds ?? null,
    screen.getAllDisplays().map((display) => display.workArea),
  );
  const window = new BrowserWindow({
    ...bounds,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'StreetVision Console',
    backgroundColor: '#0f1216',
    webPreferences: {
      preload: join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  mainWindow = window;
  if (saved?.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  window.on('close', () => {
    saveWindowState(dataDir, { bounds: window.getNormalBounds(), maximized: window.isMaximized() });
  });
  window.on('closed', () => {
    mainWindow = null;
  });
  await window.loadURL(`${APP_ORIGIN}/index.html`);
}
