import { arch, platform } from 'node:os';
import type { AppInfo } from '../../shared/domain/app-info.js';
import packageJson from '../../package.json' with { type: 'json' };

export type HostKind = AppInfo['host'];

export function describeApp(host: HostKind, dataDir: string, startedAt: Date): AppInfo {
  return {
    name: packageJson.productName,
    version: packageJson.version,
    host,
    platform: platform(),
    arch: arch(),
    nodeVersion: process.versions.node,
    electronVersion: process.versions.electron ?? null,
    dataDir,
    startedAt: startedAt.toISOString(),
  };
}
