/** The App area's part of the contract: what the back end is and how the host it runs on is doing. */
import { command, NoInput, stream } from '../contract-spec.js';
import { AppInfoSchema, HostMetricsSchema } from '../domain/app-info.js';

export const appCommands = {
  'app.info': command({
    request: NoInput,
    response: AppInfoSchema,
    summary: 'Name, version and host of the running back end.',
  }),
} as const;

export const appStreams = {
  'host.metrics': stream({
    params: NoInput,
    event: HostMetricsSchema,
    summary: "A sample of the back end's memory and event-loop lag every two seconds.",
  }),
} as const;
