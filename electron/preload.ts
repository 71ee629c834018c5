// Sandboxed preload: bundled to one CommonJS file, it may require only `electron`.
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadBridge } from './preload-bridge.js';

contextBridge.exposeInMainWorld('operator', createPreloadBridge(ipcRenderer));
