/**
 * A `synthetic` run: generate.py on the box (SDXL when the box has it, else the procedural scene
 * generator) started detached like the trainer; when it is done, its images are pulled and taken
 * in as `generated` hard cases, labelled by their folder.
 */
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { pullFolder } from '../remote/folder-pull.js';
import { pushTrainerScripts, startDetached, type JobStep } from './remote-job.js';
import { remoteLayout, type DetachMode } from '../remote/remote-run.js';
import { importGenerated, type GeneratedImport } from './synthetic-import.js';
import type { HardCaseStore } from '../hardcases/hard-case-store.js';

import { DEFAULT_GENERATED_COUNT } from '../../shared/domain/training.js';

export async function syncAndStartGeneration(
  step: JobStep,
  options: { trainerDir: string; detach: DetachMode },
): Promise<void> {
  const { run } = step;
  const layout = remoteLayout(step.host, run.id);
  await pushTrainerScripts(step, options.trainerDir, layout);
  await startDetached(step, layout, {
    script: 'generate.py',
    args: [
      '--out',
      'images',
      '--count',
      String(run.params.count ?? DEFAULT_GENERATED_COUNT),
      // Each job its own images (the same seed would only bring the same ones again); a job
      // started again goes on where it stopped.
      '--seed',
      String(seedOf(run.id)),
    ],
    detach: options.detach,
    what: 'scene generator',
  });
  step.advance({ detail: 'Generating images' });
}

/** Pulls RUN/images into `localDir/generated` and imports them. */
export async function importGeneratedRun(
  step: Pick<JobStep, 'ssh' | 'host' | 'run'>,
  localDir: string,
  hardCases: HardCaseStore,
): Promise<GeneratedImport> {
  const dir = join(localDir, 'generated');
  await rm(dir, { recursive: true, force: true });
  await pullFolder(step.ssh, step.host, posix.join(step.run.remoteDir, 'images'), dir);
  return importGenerated(dir, hardCases, { by: `run ${step.run.id}` });
}

function seedOf(runId: string): number {
  return parseInt(createHash('sha256').update(runId).digest('hex').slice(0, 7), 16);
}
