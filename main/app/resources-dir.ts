import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * What ships beside the app (`resources/`): the repository's folder when running from source or
 * from `build/`, or the packaged app's resources (Electron passes `process.resourcesPath`).
 */
export function findResourcesDir(packagedResourcesPath?: string): string {
  const candidates = [
    ...(packagedResourcesPath ? [`${packagedResourcesPath}/resources/`] : []),
    fileURLToPath(new URL('../../resources/', import.meta.url)),
  ];
  return candidates.find((dir) => existsSync(`${dir}models`)) ?? candidates[candidates.length - 1]!;
}
