import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { HardCase, HardCaseCounts, HardCaseFilter, HardCaseSort } from '../../shared/domain/hard-case.js';
import { HardCaseFilterSchema } from '../../shared/domain/hard-case.js';
import { useTempDirs } from '../../tests/temp-dir.js';
import { useTestHosts } from '../../tests/test-host.js';
import { renderStreetImage } from '../scenes/generate.js';
import { openDatabase } from '../store/database.js';
import { MIGRATIONS } from '../store/migrations.js';
import { thumbnailPath } from '../store/thumbnails.js';
import { HardCaseService, VIEWS_KEPT } from './hard-case-service.js';
import { HardCaseStore, importedSighting, type SeenImage } from './hard-case-store.js';
import { UploadStaging } from './upload-staging.js';

const tempDir = useTempDirs();
const testHost = useTestHosts();

async function gallery(): Promise<{ store: HardCaseStore; service: HardCaseService; dir: string }> {
  const dir = await tempDir();
  const store = new HardCaseStore(openDatabase(join(dir, 'console.db'), MIGRATIONS), join(dir, 'full'));
  return { store, service: new HardCaseService(store, new UploadStaging(join(dir, 'uploads'))), dir };
}

/** A hand-made case: `name` is its hash's seed, `minute` when it was last seen. */
function seen(
  store: HardCaseStore,
  name: string,
  minute: number,
  fields: Partial<Omit<SeenImage, 'hash' | 'time'>> = {},
): string {
  const hash = createHash('sha256').update(name).digest('hex');
  store.recordSighting({
    hash,
    source: 'challenge',
    time: new Date(Date.UTC(2026, 4, 1, 12, minute)).toISOString(),
    validator: null,
    prediction: null,
    firstStage: null,
    secondStage: null,
    testnetLabel: null,
    ...fields,
  });
  return hash;
}

describe('the gallery views', () => {
  /**
   * Seven cases: confidence from the prediction (max(p, 1 − p)), disagreement from the stages.
   *   name  minute  prediction  stages       source     validator  label
   *   a     1       0.45        0.40/0.50    challenge  V1         unlabelled
   *   b     2       0.62        0.62/0.92    challenge  V2         roadwork
   *   c     3       0.30        –            challenge  V1         none
   *   d     4       –           –            imported   –          unlabelled
   *   e     5       0.55        0.55/0.60    challenge  V1         skip
   *   f     6       0.60        –            challenge  V2         unlabelled
   *   g     7       0.40        0.40/0.40    challenge  V1         unlabelled
   */
  async function handMade() {
    const { store, service } = await gallery();
    const h = {
      a: seen(store, 'a', 1, { prediction: 0.45, firstStage: 0.4, secondStage: 0.5, validator: 'V1' }),
      b: seen(store, 'b', 2, { prediction: 0.62, firstStage: 0.62, secondStage: 0.92, validator: 'V2' }),
      c: seen(store, 'c', 3, { prediction: 0.3, firstStage: 0.3, validator: 'V1' }),
      d: seen(store, 'd', 4, { source: 'imported' }),
      e: seen(store, 'e', 5, { prediction: 0.55, firstStage: 0.55, secondStage: 0.6, validator: 'V1' }),
      f: seen(store, 'f', 6, { prediction: 0.6, firstStage: 0.6, validator: 'V2' }),
      g: seen(store, 'g', 7, { prediction: 0.4, firstStage: 0.4, secondStage: 0.4, validator: 'V1' }),
    };
    store.label([h.b], 'roadwork', 'op');
    store.label([h.c], 'none', 'op');
    store.label([h.e], 'skip', 'op');
    const names = new Map(Object.entries(h).map(([name, hash]) => [hash, name]));
    /** The names of the cases a query returns, in order, read a page of 2 at a time. */
    const order = async (filter: Partial<HardCaseFilter>, sort: HardCaseSort): Promise<string> => {
      const { view, total } = await service.query({ filter: HardCaseFilterSchema.parse(filter), sort });
      const cases: HardCase[] = [];
      for (let offset = 0; offset < total; offset += 2) cases.push(...(await service.page({ view, offset, limit: 2 })));
      expect(cases).toHaveLength(total);
      return cases.map((c) => names.get(c.hash)).join('');
    };
    return { store, service, h, order };
  }

  it('sort by uncertainty (nulls last, then newest), disagreement, newest and oldest', async () => {
    const { order } = await handMade();
    // Confidence e 0.55, a 0.55, g 0.60, f 0.60, b 0.62, c 0.70, d none: a tie goes newest first.
    expect(await order({}, 'uncertainty')).toBe('eagfbcd');
    // Disagreement b 0.3, a 0.1, e 0.05, g 0, then those with one stage, newest first.
    expect(await order({}, 'disagreement')).toBe('baegfdc');
    expect(await order({}, 'newest')).toBe('gfedcba');
    expect(await order({}, 'oldest')).toBe('abcdefg');
  });

  it('filter by label, source, validator and an inclusive confidence range', async () => {
    const { order } = await handMade();
    expect(await order({ label: 'unlabelled' }, 'newest')).toBe('gfda');
    expect(await order({ label: 'labelled' }, 'newest')).toBe('ecb');
    expect(await order({ label: 'roadwork' }, 'newest')).toBe('b');
    expect(await order({ label: 'skip' }, 'newest')).toBe('e');
    expect(await order({ source: 'imported' }, 'newest')).toBe('d');
    expect(await order({ validator: 'V2' }, 'newest')).toBe('fb');
    // 0.55 and 0.60 are on the bounds: both in. No confidence (d) is never in a range.
    expect(await order({ confidence: { min: 0.55, max: 0.6 } }, 'oldest')).toBe('aefg');
    expect(await order({ label: 'unlabelled', validator: 'V1', confidence: { min: 0.5, max: 0.58 } }, 'newest')).toBe(
      'a',
    );
  });

  it('keeps a view in its order while labels change, showing each case as it is now', async () => {
    const { store, service, h } = await handMade();
    const { view } = await service.query({ filter: { label: 'unlabelled' }, sort: 'uncertainty' });
    const before = await service.page({ view, offset: 0, limit: 10 });
    store.label([h.a], 'roadwork', 'op');
    const after = await service.page({ view, offset: 0, limit: 10 });
    expect(after.map((c) => c.hash)).toEqual(before.map((c) => c.hash));
    expect(after.find((c) => c.hash === h.a)?.label).toBe('roadwork');
    expect(await service.page({ view, offset: 3, limit: 10 })).toHaveLength(1);
    expect(await service.page({ view, offset: 10, limit: 10 })).toEqual([]);
  });

  it(`keeps the ${VIEWS_KEPT} views read last; an older one has to be queried again`, async () => {
    const { service } = await handMade();
    // Ten queries, each with a different result.
    const queries: [Partial<HardCaseFilter>, HardCaseSort][] = [
      [{}, 'uncertainty'],
      [{}, 'disagreement'],
      [{}, 'newest'],
      [{}, 'oldest'],
      [{ validator: 'V1' }, 'newest'],
      [{ validator: 'V1' }, 'oldest'],
      [{ validator: 'V2' }, 'newest'],
      [{ validator: 'V2' }, 'oldest'],
      [{ label: 'unlabelled' }, 'newest'],
      [{ label: 'unlabelled' }, 'oldest'],
    ];
    const query = ([filter, sort]: [Partial<HardCaseFilter>, HardCaseSort]) =>
      service.query({ filter: HardCaseFilterSchema.parse(filter), sort });
    const [first, second, ...rest] = queries;
    const kept = await query(first!);
    const dropped = await query(second!);
    // The same query over the same cases is the same view.
    expect((await query(first!)).view).toBe(kept.view);
    for (const next of rest.slice(0, VIEWS_KEPT - 1)) {
      await query(next);
      await service.page({ view: kept.view, offset: 0, limit: 1 }); // read, so kept
    }
    expect(await service.page({ view: kept.view, offset: 0, limit: 1 })).toHaveLength(1);
    await expect(service.page({ view: dropped.view, offset: 0, limit: 1 })).rejects.toMatchObject({
      code: 'failed',
      message: 'That view has expired; query again.',
    });
  });

  it('facets: 20 confidence bins (the last closed), cases with none, and validators, the range aside', async () => {
    const { store, service } = await gallery();
    for (const [i, p] of [0.5, 0.51, 0.6, 0.624, 0.975, 1, 0, 0.2].entries())
      seen(store, `p${i}`, i, { prediction: p, validator: i < 3 ? 'V1' : 'V2' });
    seen(store, 'none', 9, { source: 'imported' });
    const facets = await service.facets({ filter: { label: 'all', confidence: { min: 0.9, max: 0.95 } } });
    const bins = new Array<number>(20).fill(0);
    bins[0] = 2; // 0.5, 0.51
    bins[4] = 2; // 0.6 (its lower edge), 0.624
    bins[19] = 3; // 0.975 and 1 (both p = 0 and p = 1)
    bins[12] = 1; // 0.8 (p = 0.2)
    expect(facets.confidence).toEqual(bins);
    expect(facets.noConfidence).toBe(1);
    expect(facets.validators).toEqual([
      { hotkey: 'V2', count: 5 },
      { hotkey: 'V1', count: 3 },
    ]);
    const v1 = await service.facets({ filter: { label: 'all', validator: 'V1' } });
    expect(v1.confidence.reduce((a, b) => a + b)).toBe(3);
    expect(v1.noConfidence).toBe(0);
  });
});

describe('thumbnails and previews', () => {
  it('gives an imported case a thumbnail, makes a missing one from the image, and null where there is none', async () => {
    const { store, service, dir } = await gallery();
    const { hash } = await store.addImage((await renderStreetImage(12, 'roadwork', 0)).jpeg, importedSighting());
    const path = thumbnailPath(join(dir, 'thumbs'), hash);
    expect(await sharp(path).metadata()).toMatchObject({ width: 96, height: 96, format: 'jpeg' });
    await rm(path);
    const missing = 'c'.repeat(64);
    const urls = await service.thumbnails({ hashes: [hash, missing] });
    expect(urls[hash]).toMatch(/^data:image\/jpeg;base64,/);
    expect(urls[missing]).toBeNull();
    const made = Buffer.from(urls[hash]!.split(',')[1]!, 'base64');
    expect(await sharp(made).metadata()).toMatchObject({ width: 96, height: 96 });
  });

  it('previews a large image at 2048 px on its longer side, and a small one as it is', async () => {
    const { store, service } = await gallery();
    const add = async (image: Buffer) => (await store.addImage(image, importedSighting())).hash;
    const wide = await sharp({ create: { width: 3000, height: 1200, channels: 3, background: '#3a6' } })
      .jpeg()
      .toBuffer();
    const large = await service.preview({ hash: await add(wide) });
    expect([large.width, large.height]).toEqual([2048, 819]);
    const decoded = await sharp(Buffer.from(large.dataUrl.split(',')[1]!, 'base64')).metadata();
    expect([decoded.width, decoded.height, decoded.format]).toEqual([2048, 819, 'jpeg']);
    const small = (await renderStreetImage(13, 'none', 0)).jpeg;
    const meta = await sharp(small).metadata();
    expect(await service.preview({ hash: await add(small) })).toEqual({
      dataUrl: `data:image/jpeg;base64,${small.toString('base64')}`,
      width: meta.width,
      height: meta.height,
    });
    await expect(service.preview({ hash: 'd'.repeat(64) })).rejects.toMatchObject({ code: 'failed' });
  });
});

describe('the counters stream', () => {
  it('sends the counters at once, then once after a burst of labels, and after an import and an undo', async () => {
    const host = await testHost();
    const hashes: string[] = [];
    for (let i = 0; i < 30; i++)
      hashes.push(
        (
          await host.hardCases.addImage(Buffer.from(`case ${i}`), {
            source: 'imported',
            time: new Date().toISOString(),
            validator: null,
            prediction: 0.6,
            firstStage: null,
            secondStage: null,
            testnetLabel: null,
          })
        ).hash,
      );
    const events: HardCaseCounts[] = [];
    const subscription = host.endpoint.subscribe('hardcases.counts', {}, (event) =>
      events.push(event as HardCaseCounts),
    );
    expect(events).toEqual([{ total: 30, unlabelled: 30, roadwork: 0, none: 0, skip: 0 }]);
    // Thirty steps in one go (as a burst of key presses lands): one event, with where they ended.
    for (const hash of hashes) host.hardCases.label([hash], 'roadwork', 'op');
    await expect.poll(() => events.length).toBe(2);
    expect(events[1]).toEqual({ total: 30, unlabelled: 0, roadwork: 30, none: 0, skip: 0 });

    const folder = await tempDir();
    const file = join(folder, 'frame.jpg');
    await sharp((await renderStreetImage(14, 'none', 0)).jpeg).toFile(file);
    await host.endpoint.invoke('hardcases.import', { paths: [file] });
    await expect.poll(() => events.at(-1)).toMatchObject({ total: 31, unlabelled: 1 });
    await host.endpoint.invoke('hardcases.undo', {});
    await expect.poll(() => events.at(-1)).toMatchObject({ total: 31, unlabelled: 2, roadwork: 29 });
    if (subscription.ok) subscription.subscription.dispose();
  });
});
