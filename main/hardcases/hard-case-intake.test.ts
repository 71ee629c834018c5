import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../tests/temp-dir.js';
import { useTestHosts } from '../../tests/test-host.js';
import { renderStreetImage } from '../scenes/generate.js';

const testHost = useTestHosts();
const tempDir = useTempDirs();

describe('challenges the miner was unsure of', () => {
  it('become hard cases with their image, each stage and the validator; a repeat counts as seen again', async () => {
    const host = await testHost();
    const image = (await renderStreetImage(21, 'roadwork', 2)).jpeg;
    const challenge = {
      time: new Date().toISOString(),
      hotkey: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
      uid: 0,
      status: 200,
      message: 'Success',
      latencyMs: 4,
      prediction: 0.58,
      firstStage: 0.62,
      secondStage: 0.54,
      testnetLabel: null,
      image,
    };
    const unsure = await host.challenges.record(challenge);
    await host.challenges.record({ ...challenge, time: new Date().toISOString() });
    await host.challenges.record({ ...challenge, prediction: 0.97, image: Buffer.from(image).fill(7, 500, 600) });
    expect(host.hardCases.counts()).toMatchObject({ total: 1, unlabelled: 1 });
    expect(host.hardCases.get(unsure.imageHash!)).toMatchObject({
      source: 'challenge',
      timesSeen: 2,
      firstStage: 0.62,
      secondStage: 0.54,
      validator: challenge.hotkey,
      confidence: 0.58,
    });
  });

  it('are labelled, undone and redone through the contract, which refuses a malformed request', async () => {
    const host = await testHost();
    const hashes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { hash } = await host.hardCases.addImage(Buffer.from(`case ${i}`), {
        source: 'imported',
        time: new Date().toISOString(),
        validator: null,
        prediction: 0.5 + i / 20,
        firstStage: null,
        secondStage: null,
        testnetLabel: null,
      });
      hashes.push(hash);
    }
    const invoke = async (name: string, payload: unknown) => {
      const result = await host.endpoint.invoke(name, payload);
      if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
      return result.value as { counts: Record<string, number> } | null;
    };
    const listed = (await host.endpoint.invoke('hardcases.list', {})) as { ok: true; value: { hash: string }[] };
    expect(listed.value.map((c) => c.hash)).toEqual(hashes); // least sure first
    expect((await invoke('hardcases.label', { hashes: hashes.slice(0, 2), label: 'roadwork' }))!.counts).toMatchObject({
      roadwork: 2,
      unlabelled: 1,
    });
    expect((await invoke('hardcases.undo', {}))!.counts).toMatchObject({ roadwork: 0, unlabelled: 3 });
    expect((await invoke('hardcases.redo', {}))!.counts).toMatchObject({ roadwork: 2 });
    expect(await invoke('hardcases.redo', {})).toBeNull();
    await expect(invoke('hardcases.label', { hashes: ['not-a-hash'], label: 'roadwork' })).rejects.toThrow(
      /invalid_request.*hashes/,
    );
    await expect(invoke('hardcases.label', { hashes, label: 'maybe' })).rejects.toThrow(/invalid_request/);
  });

  it('are imported from a folder and exported as a dataset through the contract', async () => {
    const host = await testHost();
    const folder = await tempDir();
    await mkdir(join(folder, 'roadwork'));
    await mkdir(join(folder, 'none'));
    await writeFile(join(folder, 'roadwork', 'a.jpg'), (await renderStreetImage(41, 'roadwork', 0)).jpeg);
    await writeFile(join(folder, 'none', 'b.jpg'), (await renderStreetImage(42, 'none', 0)).jpeg);
    await writeFile(join(folder, 'none', 'c.txt'), 'notes');
    const imported = await host.endpoint.invoke('hardcases.import', { paths: [folder] });
    expect(imported.ok && (imported.value as { status: string }[]).map((v) => v.status).sort()).toEqual([
      'added',
      'added',
      'refused',
    ]);
    const out = await tempDir();
    const exported = await host.endpoint.invoke('hardcases.export', { out, heldOut: 0 });
    expect(exported.ok && exported.value).toMatchObject({ real: 2, roadwork: 1, none: 1, val: 0 });
    const again = await host.endpoint.invoke('hardcases.export', { out });
    expect(again).toMatchObject({
      ok: false,
      error: { code: 'failed', message: expect.stringMatching(/already holds a dataset/) as unknown },
    });
  });
});
