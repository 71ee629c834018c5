/** The console's own origin inside Electron: a privileged `app://` scheme, never `file://`. */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://console`;

export function isAppUrl(url: string): boolean {
  return url === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`);
}
