import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/domain/settings.js';
import { cascade, parseVlmAnswer, VLM_PROMPT } from './vlm-stage.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

interface Seen {
  model: string;
  prompt: string;
  image: string;
}

/**
 * A loopback server that speaks the OpenAI chat-completions API, as vLLM does; it answers after
 * `delayMs`, a slow VLM for the cascade's deadline to cut (the delay is what is tested).
 */
async function fakeVlm(answer: string, delayMs = 0): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const parsed = JSON.parse(body) as {
        model: string;
        messages: { content: { type: string; text?: string; image_url?: { url: string } }[] }[];
      };
      const content = parsed.messages[0]!.content;
      seen.push({
        model: parsed.model,
        prompt: content.find((c) => c.type === 'text')!.text!,
        image: content.find((c) => c.type === 'image_url')!.image_url!.url,
      });
      setTimeout(() => {
        if (response.destroyed) return;
        response.writeHead(request.url === '/v1/chat/completions' ? 200 : 404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: answer } }] }));
      }, delayMs);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, seen };
}

const settings = (url: string) => ({ ...DEFAULT_SETTINGS.cascade, enabled: true, url });
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);

describe('the cascade', () => {
  it('asks the second stage when the first is unsure, with the image and the prompt, and combines', async () => {
    const vlm = await fakeVlm('Yes.');
    const outcome = await cascade(0.45, jpeg, Date.now() + 9000, settings(vlm.url));
    expect(outcome).toEqual({ probability: 0.5 * 0.45 + 0.5 * 0.95, secondStage: 0.95, skipped: null });
    expect(vlm.seen).toEqual([
      {
        model: DEFAULT_SETTINGS.cascade.model,
        prompt: VLM_PROMPT,
        image: `data:image/jpeg;base64,${jpeg.toString('base64')}`,
      },
    ]);
  });

  it('leaves a confident first stage alone, and does nothing when disabled', async () => {
    const vlm = await fakeVlm('no');
    expect(await cascade(0.9, jpeg, Date.now() + 9000, settings(vlm.url))).toMatchObject({
      probability: 0.9,
      skipped: 'confident',
    });
    expect(await cascade(0.5, jpeg, Date.now() + 9000, DEFAULT_SETTINGS.cascade)).toMatchObject({
      probability: 0.5,
      skipped: 'disabled',
    });
    expect(vlm.seen).toHaveLength(0);
  });

  it('answers with the first stage by the deadline when the second is too slow', async () => {
    const vlm = await fakeVlm('yes', 5000);
    const began = Date.now();
    const outcome = await cascade(0.55, jpeg, began + 1200, settings(vlm.url));
    expect(outcome).toMatchObject({ probability: 0.55, skipped: 'failed' });
    expect(Date.now()).toBeLessThan(began + 5000);
    expect(await cascade(0.55, jpeg, Date.now() + 200, settings(vlm.url))).toMatchObject({
      probability: 0.55,
      skipped: 'no-time',
    });
  });

  it('falls back on an unreachable server or an answer it cannot read', async () => {
    expect(await cascade(0.4, jpeg, Date.now() + 9000, settings('http://127.0.0.1:9/v1'))).toMatchObject({
      probability: 0.4,
      skipped: 'failed',
    });
    const vlm = await fakeVlm('I cannot tell from this picture.');
    expect(await cascade(0.4, jpeg, Date.now() + 9000, settings(vlm.url))).toMatchObject({
      probability: 0.4,
      skipped: 'unparseable',
    });
  });
});

describe('reading the second stage', () => {
  it.each([
    ['Yes', 0.95],
    ['yes, there are cones', 0.95],
    ['No.', 0.05],
    ['There is no roadwork here', 0.05],
    ['0.8', 0.8],
    ['Probability: 0.25', 0.25],
    ['1', 1],
    ['maybe', null],
    ['', null],
  ])('%j → %s', (text, expected) => {
    expect(parseVlmAnswer(text)).toBe(expected);
  });
});
