/**
 * The hard-case gallery at 50,000 cases, in Debian's Chromium against `npm run serve`'s program:
 * how long the page takes to open (ranked view, first cards with thumbnails), how long each
 * order takes to rank on the back end, how long a jump to the middle takes to fill, and the
 * label-and-advance step against a budget of one frame (16 ms) for its UI part. Run after
 * `npm run build`; figures from one run.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createHost } from '../main/host.js';
import { percentile } from '../main/scoring/metrics.js';
import { renderStreetImage } from '../main/scenes/generate.js';
import { storeThumbnail } from '../main/store/thumbnails.js';
import type { SeenImage } from '../main/hardcases/hard-case-store.js';
import { connectToServe, launchChromium, makeDataDir, openConsolePage, startServe } from '../e2e/harness.js';

const CASES = Number(process.env.BENCH_CASES ?? 50_000);
const WITH_THUMBNAILS = 3_000;
const DIMENSION = 128;
const LABEL_PRESSES = 150;
const FRAME_MS = 16;

/** A reproducible spread of cases: clustered embeddings, confidences from 0.5 up, 5 % labelled. */
async function plant(dataDir: string): Promise<number> {
  const host = await createHost({ kind: 'headless', dataDir });
  const thumbs = join(dataDir, 'images', 'thumbs');
  const scenes = await Promise.all(
    Array.from({ length: 20 }, (_, i) => renderStreetImage(900 + i, i % 2 ? 'none' : 'roadwork', 1)),
  );
  let random = 7;
  const next = (): number => (random = (random * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const centres = Array.from({ length: 16 }, () => Float32Array.from({ length: DIMENSION }, () => next() - 0.5));
  const batch: SeenImage[] = [];
  const labelled: string[] = [];
  for (let i = 0; i < CASES; i++) {
    const hash = createHash('sha256').update(`case ${i}`).digest('hex');
    const centre = centres[i % centres.length]!;
    // The cases with thumbnails are the least sure, so they are what the default order shows first.
    const prediction = i < WITH_THUMBNAILS ? 0.5 + 0.1 * next() : 0.6 + 0.4 * next();
    batch.push({
      hash,
      source: 'challenge',
      time: new Date(Date.UTC(2026, 10, 1) + i * 30_000).toISOString(),
      validator: `5Validator${i % 5}`,
      prediction,
      firstStage: prediction,
      secondStage: i % 3 === 0 ? next() : null,
      testnetLabel: null,
      embedding: { model: 'default@1.0.0', vector: centre.map((value) => value + 0.1 * (next() - 0.5)) },
    });
    if (i % 20 === 0) labelled.push(hash);
    if (i < WITH_THUMBNAILS) await storeThumbnail(thumbs, hash, scenes[i % scenes.length]!.jpeg);
    if (batch.length === 1000) host.hardCases.recordSightings(batch.splice(0));
  }
  host.hardCases.recordSightings(batch);
  host.hardCases.label(labelled, 'roadwork', 'bench');
  // The first comparison of every case with every labelled one, as a console that has been running
  // has done; its distances are saved at close, and the served console below starts from them.
  const began = performance.now();
  await host.hardCases.settleUniqueness();
  const fullBuildMs = performance.now() - began;
  await host.close();
  return fullBuildMs;
}

async function main(): Promise<void> {
  const data = await makeDataDir();
  let began = performance.now();
  const fullBuildMs = await plant(data.dir);
  const plantS = (performance.now() - began) / 1000;
  const serve = await startServe(data.dir);
  const browser = await launchChromium();
  try {
    // The back end's share: ranking each order over every case.
    const connection = connectToServe(serve);
    const { client } = connection;
    const rankMs: Record<string, number> = {};
    for (const sort of ['uncertainty', 'uniqueness', 'disagreement', 'newest'] as const) {
      began = performance.now();
      await client.call('hardcases.query', { filter: { label: 'all' }, sort });
      rankMs[sort] = performance.now() - began;
    }

    const { page } = await openConsolePage(browser, serve.url);
    began = performance.now();
    await page.getByRole('navigation').getByRole('link', { name: 'Hard cases', exact: true }).click();
    await page.locator('#case-0 img').waitFor();
    await page.locator('#case-11 img').waitFor();
    const openMs = performance.now() - began;
    const rendered = Number(await page.getByTestId('gallery').getAttribute('data-rendered'));
    const total = await page.getByTestId('gallery-total').textContent();

    began = performance.now();
    const middle = Math.floor((CASES * 0.95) / 2);
    await page.getByTestId('gallery').evaluate((element: { scrollTop: number; scrollHeight: number }, at) => {
      element.scrollTop = (element.scrollHeight * at) | 0;
    }, 0.5);
    await page
      .locator(`[role=option][id^=case-${String(middle).slice(0, 2)}]:not([aria-label$=loading])`)
      .first()
      .waitFor();
    const jumpMs = performance.now() - began;
    await page.getByTestId('gallery').evaluate((element: { scrollTop: number }) => (element.scrollTop = 0));
    await page.locator('#case-0').click();

    for (let i = 0; i < LABEL_PRESSES; i++) {
      await page.keyboard.press(i % 2 ? '2' : '1');
      await page.locator(`[data-testid=gallery][aria-activedescendant=case-${i + 1}]`).waitFor();
    }
    const measures = await page.evaluate(() => ({
      ui: performance.getEntriesByName('label-ui-step').map((entry) => entry.duration),
      whole: performance.getEntriesByName('label-and-advance').map((entry) => entry.duration),
    }));
    const line = (name: string, samples: number[]): string => {
      const sorted = [...samples].sort((a, b) => a - b);
      const [p50, p95] = [percentile(sorted, 0.5), percentile(sorted, 0.95)];
      return `${name.padEnd(44)} p50 ${p50.toFixed(2).padStart(7)} ms  p95 ${p95.toFixed(2).padStart(7)} ms  (p50 = ${(p50 / FRAME_MS).toFixed(2)} of a ${FRAME_MS} ms frame, n = ${sorted.length})`;
    };
    console.log(`Gallery at ${total} (planted ${CASES.toLocaleString()} in ${plantS.toFixed(1)} s)`);
    console.log(`open the page to 12 thumbnails             ${openMs.toFixed(0)} ms, ${rendered} cards in the DOM`);
    console.log(`jump to the middle, cards filled           ${jumpMs.toFixed(0)} ms`);
    console.log(`uniqueness, first full comparison          ${fullBuildMs.toFixed(0)} ms (in the background, once)`);
    for (const [sort, ms] of Object.entries(rankMs)) console.log(`rank all by ${sort.padEnd(31)}${ms.toFixed(0)} ms`);
    console.log(line('label-and-advance, UI step (answer → commit)', measures.ui));
    console.log(line('label-and-advance, key → commit (with disk)', measures.whole));
    connection.close();
  } finally {
    await browser.close();
    await serve.stop();
    await data.remove();
  }
}

await main();
