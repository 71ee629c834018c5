import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_DIR_NAME = 'streetvision-console';

/**
 * Where a headless host keeps its data when not told: the same folder the desktop app uses
 * (Electron's `userData`), so a rig can switch between the two without losing anything.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.STREETVISION_DATA_DIR) return env.STREETVISION_DATA_DIR;
  const home = homedir();
  switch (process.platform) {
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
    case 'darwin':
      return join(home, 'Library', 'Application Support', APP_DIR_NAME);
    default:
      return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_DIR_NAME);
  }
}
