import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import WebSocket from 'ws';
import { OperatorClient } from '../shared/client.js';
import type { CommandRequest } from '../shared/contract.js';
import { createWsTransport } from '../shared/transport/ws-client-transport.js';

export const ROOT = join(import.meta.dirname, '..');
const SERVE = join(ROOT, 'build', 'main', 'serve.js');
export const SCREENSHOT_DIR = process.env.E2E_SCREENSHOT_DIR ?? join(ROOT, 'e2e', 'artifacts');

export interface ServeProcess {
  url: string;
  base: string;
  port: number;
  token: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** Runs `npm run serve`'s program exactly as an operator would, and reads the URL it prints. */
export async function startServe(dataDir: string, port = 0, env: Record<string, string> = {}): Promise<ServeProcess> {
  if (!existsSync(SERVE)) throw new Error(`${SERVE} is missing: run \`npm run build\` first (npm test does).`);
  const child = spawn(process.execPath, [SERVE, '--port', String(port), '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /StreetVision console: (http:\/\/\S+)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  const parsed = new URL(url);
  return {
    url,
    base: parsed.origin,
    port: Number(parsed.port),
    token: parsed.searchParams.get('token')!,
    dataDir,
    stop: () => stopProcess(child),
  };
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export async function makeDataDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'sv-e2e-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Debian's Chromium, headless, with no download and no calls home. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

export interface BrowserSuite {
  /** Launched before the file's first test. */
  readonly browser: Browser;
  /** Run after the current test, last registered first (contexts before the servers they use). */
  readonly cleanups: (() => unknown)[];
}

/** One Chromium for a test file, closed after it, and per-test cleanups. */
export function useChromium(): BrowserSuite {
  const suite = { cleanups: [] as (() => unknown)[] } as { browser: Browser; cleanups: (() => unknown)[] };
  beforeAll(async () => {
    suite.browser = await launchChromium();
  });
  afterAll(async () => {
    await suite.browser?.close();
  });
  afterEach(async () => {
    for (const cleanup of suite.cleanups.splice(0).reverse()) await cleanup();
  });
  return suite;
}

/** Every console error, uncaught exception and CSP violation the page produces. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

/** A fresh browser context on the console at its printed URL, once the Overview is up. */
export async function openConsolePage(
  browser: Browser,
  url: string,
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 }, colorScheme: 'dark' });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(url);
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  return { context, page, errors };
}

/** A client of the served console over its WebSocket, as another console (or a script) connects. */
export function connectToServe(serve: Pick<ServeProcess, 'port' | 'token'>): { client: OperatorClient; close(): void } {
  const transport = createWsTransport({
    url: `ws://127.0.0.1:${serve.port}/api`,
    createSocket: (url) => new WebSocket(url, { headers: { authorization: `Bearer ${serve.token}` } }),
  });
  return { client: new OperatorClient(transport), close: () => transport.close() };
}

/** Sets the console's settings as another console would, over its WebSocket. */
export async function updateSettings(serve: ServeProcess, patch: CommandRequest<'settings.update'>): Promise<void> {
  const connection = connectToServe(serve);
  try {
    await connection.client.call('settings.update', patch);
  } finally {
    connection.close();
  }
}
