/**
 * The cascade's second stage: a vision-language model behind an OpenAI-compatible chat
 * completions API (vLLM serving Qwen2.5-VL, in the plan). Asked only when the first stage is
 * unsure and the request's deadline leaves time; past the deadline, the first stage answers.
 */
import type { Settings } from '../../shared/domain/settings.js';

export const VLM_PROMPT =
  'This is a photo from a car dashcam. Is there roadwork in it: traffic cones, barriers, work signs, construction machines, road workers or a dug-up road? Answer with one word: yes or no.';

/** Below this much time left, the second stage is not even asked. */
export const MIN_SECOND_STAGE_MS = 800;

export interface CascadeOutcome {
  probability: number;
  /** The second stage's own answer, when it gave a usable one in time. */
  secondStage: number | null;
  /** Why the second stage was not used, for the challenge log. */
  skipped: 'disabled' | 'confident' | 'no-time' | 'failed' | 'unparseable' | null;
}

/** P(roadwork) from a free-text answer: a number in [0, 1], or yes / no in words. */
export function parseVlmAnswer(text: string): number | null {
  const cleaned = text.trim().toLowerCase();
  const number = /(?:^|[^\d.])(0(?:\.\d+)?|1(?:\.0+)?)(?:[^\d.]|$)/.exec(cleaned);
  if (number && !/\b(yes|no)\b/.test(cleaned)) return Number(number[1]);
  if (/^\W*(yes|yeah|true|roadwork)\b/.test(cleaned) || /\b(there is|i see|contains) (some )?roadwork\b/.test(cleaned))
    return 0.95;
  if (/^\W*(no|none|false)\b/.test(cleaned) || /\b(no|not any) roadwork\b/.test(cleaned)) return 0.05;
  return null;
}

export async function askVlm(
  settings: Settings['cascade'],
  jpeg: Uint8Array,
  timeoutMs: number,
): Promise<number | null> {
  const url = `${settings.url!.replace(/\/+$/, '')}/chat/completions`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    signal: AbortSignal.timeout(Math.max(1, timeoutMs)),
    body: JSON.stringify({
      model: settings.model,
      temperature: 0,
      max_tokens: 8,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: VLM_PROMPT },
            { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${Buffer.from(jpeg).toString('base64')}` } },
          ],
        },
      ],
    }),
  });
  if (!response.ok) throw new Error(`the second stage answered HTTP ${response.status}`);
  const body = (await response.json()) as { choices?: { message?: { content?: unknown } }[] };
  const content = body.choices?.[0]?.message?.content;
  return typeof content === 'string' ? parseVlmAnswer(content) : null;
}

/** Combines the stages when the first is unsure and there is time; otherwise the first stands. */
export async function cascade(
  firstStage: number,
  jpeg: Uint8Array,
  deadline: number,
  settings: Settings['cascade'],
  ask: typeof askVlm = askVlm,
): Promise<CascadeOutcome> {
  if (!settings.enabled || settings.url === null)
    return { probability: firstStage, secondStage: null, skipped: 'disabled' };
  if (Math.abs(firstStage - 0.5) >= settings.band)
    return { probability: firstStage, secondStage: null, skipped: 'confident' };
  const remaining = deadline - Date.now();
  if (remaining < MIN_SECOND_STAGE_MS) return { probability: firstStage, secondStage: null, skipped: 'no-time' };
  let second: number | null;
  try {
    second = await ask(settings, jpeg, remaining - 100);
  } catch {
    return { probability: firstStage, secondStage: null, skipped: 'failed' };
  }
  if (second === null) return { probability: firstStage, secondStage: null, skipped: 'unparseable' };
  return {
    probability: (1 - settings.weight) * firstStage + settings.weight * second,
    secondStage: second,
    skipped: null,
  };
}
