import { describe, expect, it } from 'vitest';
import { useTestHosts } from '../../tests/test-host.js';
import { renderStreetImage } from '../scenes/generate.js';

const testHost = useTestHosts();

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
});
