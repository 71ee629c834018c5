import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'renderer',
  // Relative asset URLs: the same build loads from `app://console/` and from the headless host.
  base: './',
  plugins: [react()],
  build: {
    outDir: '../build/renderer',
    emptyOutDir: true,
    // No inline scripts or styles: the CSP allows only files from our own origin.
    assetsInlineLimit: 0,
    target: 'chrome120',
    // Loaded from disk or loopback, not over the internet: one bundle is fine.
    chunkSizeWarningLimit: 2000,
  },
});
