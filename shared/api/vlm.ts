/** The second stage's part of the contract: running the VLM server the console supervises. */
import { command, NoInput, stream } from '../contract-spec.js';
import { VlmServerStatusSchema } from '../domain/vlm-server.js';

export const vlmCommands = {
  'vlm.status': command({
    request: NoInput,
    response: VlmServerStatusSchema,
    summary: "The second-stage server's status, when the console runs it.",
  }),
  'vlm.start': command({
    request: NoInput,
    response: VlmServerStatusSchema,
    summary:
      "Run the second stage's serve command from Settings and supervise it (restarts with backoff); answers at once, ready later.",
  }),
  'vlm.stop': command({
    request: NoInput,
    response: VlmServerStatusSchema,
    summary: 'Stop the second-stage server and every process it started.',
  }),
} as const;

export const vlmStreams = {
  'vlm.status': stream({
    params: NoInput,
    event: VlmServerStatusSchema,
    summary: "The second-stage server's status at once, then every change.",
  }),
} as const;
