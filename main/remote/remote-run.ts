/**
 * A run's side on the box, as POSIX sh. Everything of a run lives in its folder RUN
 * (<workDir>/runs/<id>): `job.sh` (what was started), `job.pid` (the job's shell), `pid` (the
 * trainer's process, which a stop signals), `metrics.jsonl` (the trainer's JSON lines),
 * `trainer.log` (its stderr), `stdout.log`, and `exit-code`, written when the trainer has ended.
 * The job runs detached (tmux, else setsid + nohup), so it outlives the console and the link; the
 * console only ever reads these files, from whichever connection it has at the time.
 */
import { posix } from 'node:path';
import { quoteRemotePath, shellCommand, shellQuote } from './shell-quote.js';
import type { TrainerHost } from '../../shared/domain/trainer-host.js';

export interface RemoteLayout {
  runDir: string;
  trainerDir: string;
  datasetDir: string;
}

/**
 * Where a run's files go on the box; the dataset folder is named by the data hash, so an unchanged
 * dataset is not sent again.
 */
export function remoteLayout(host: TrainerHost, runId: string, datasetKey = ''): RemoteLayout {
  return {
    runDir: remoteRunDir(host, runId),
    trainerDir: posix.join(host.workDir, 'trainer'),
    datasetDir: posix.join(host.workDir, 'datasets', datasetKey),
  };
}

export function remoteRunDir(host: TrainerHost, runId: string): string {
  return posix.join(host.workDir, 'runs', runId);
}

/** tmux session names may not hold "." or ":". */
export function sessionName(runId: string): string {
  return `sv-${runId.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/**
 * A Python script of resources/trainer as the job's command line, run from inside RUN: the
 * flags are words, and `paths` are flags whose value is a remote path ("~/" left to the shell).
 */
export function pythonCommand(options: {
  python: string;
  script: string;
  paths: Record<string, string>;
  args: readonly string[];
}): string {
  const paths = Object.entries(options.paths).map(([flag, path]) => `${flag} ${quoteRemotePath(path)}`);
  return [shellQuote(options.python), quoteRemotePath(options.script), ...paths, shellCommand(options.args)].join(' ');
}

/**
 * The job script: the command in the background so its pid can be recorded for a stop, and its
 * exit status written (atomically) once it ends, whoever is watching.
 */
export function jobScript(options: { runId: string; runDir: string; command: string }): string {
  return [
    '#!/bin/sh',
    `# StreetVision run ${options.runId}, started by the console; it outlives the console and the link.`,
    `cd ${quoteRemotePath(options.runDir)} || exit 1`,
    'echo $$ > job.pid',
    `${options.command} >>stdout.log 2>>trainer.log &`,
    'echo $! > pid',
    'wait $!',
    'echo $? > exit-code.partial && mv exit-code.partial exit-code',
    '',
  ].join('\n');
}

export type DetachMode = 'auto' | 'nohup';

/**
 * Writes job.sh (from stdin) into RUN and starts it detached; answers once the trainer's pid is
 * recorded, printing how it was detached. A folder whose job already started is left alone (a
 * repeated launch starts nothing twice).
 */
export function launchCommand(runDir: string, runId: string, detach: DetachMode): string {
  const script = String.raw`
set -e
mkdir -p "$1"
cd "$1"
if [ -f job.pid ]; then echo "already started"; exit 0; fi
cat > job.sh
if [ "$3" != nohup ] && command -v tmux >/dev/null 2>&1; then
  tmux new-session -d -s "$2" -c "$PWD" 'sh job.sh'
  echo "started in tmux session $2"
elif command -v setsid >/dev/null 2>&1; then
  setsid nohup sh job.sh </dev/null >/dev/null 2>&1 &
  echo "started with nohup (pid file: pid)"
else
  nohup sh job.sh </dev/null >/dev/null 2>&1 &
  echo "started with nohup (pid file: pid)"
fi
i=0
while [ ! -s pid ] && [ ! -f exit-code ]; do
  i=$((i + 1))
  if [ "$i" -gt 150 ]; then echo "the trainer did not start within 15 s" >&2; exit 4; fi
  sleep 0.1
done
`;
  return `sh -c ${shellQuote(script)} sv-launch ${quoteRemotePath(runDir)} ${shellQuote(sessionName(runId))} ${detach}`;
}

/**
 * Follows RUN from the lines the console already holds: prints new lines of the job's JSON-lines
 * file ("m ", metrics.jsonl for training), new
 * trainer log lines ("l "), a GPU sample ("g ", when nvidia-smi exists), a heartbeat ("."), and at
 * the end the last error event of stdout ("e ") and the exit status ("x CODE"), or "lost" when
 * the job is gone without one. Only whole lines are read (wc -l counts newlines), and the exit
 * status is looked at before the last read, so nothing written before the end is missed.
 */
const FOLLOW_SCRIPT = String.raw`
cd "$1" 2>/dev/null || { echo "lost"; exit 0; }
m=$2; l=$3; poll=$4; gpu_every=$5; events=$6; tick=0
gpu=
command -v nvidia-smi >/dev/null 2>&1 && gpu=1
count() { if [ -f "$1" ]; then wc -l < "$1" | tr -d ' '; else echo 0; fi; }
while :; do
  ended=; lost=
  if [ -f exit-code ]; then ended=1
  elif ! { [ -f job.pid ] && kill -0 "$(cat job.pid)" 2>/dev/null; }; then
    if [ -f exit-code ]; then ended=1; else lost=1; fi
  fi
  n=$(count "$events")
  if [ "$n" -gt "$m" ]; then sed -n "$((m + 1)),$((n))p" "$events" | sed 's/^/m /'; m=$n; fi
  n=$(count trainer.log)
  if [ "$n" -gt "$l" ]; then sed -n "$((l + 1)),$((n))p" trainer.log | sed 's/^/l /'; l=$n; fi
  if [ -n "$gpu" ] && [ $((tick % gpu_every)) -eq 0 ]; then
    nvidia-smi --query-gpu=name,utilization.gpu,memory.used,memory.total --format=csv,noheader,nounits 2>/dev/null \
      | head -n 1 | sed 's/^/g /'
  fi
  if [ -n "$ended" ]; then
    grep '"event": *"error"' stdout.log 2>/dev/null | tail -n 1 | sed 's/^/e /'
    echo "x $(cat exit-code)"
    exit 0
  fi
  if [ -n "$lost" ]; then echo "lost"; exit 0; fi
  echo .
  sleep "$poll"
  tick=$((tick + 1))
done
`;

/** The JSON-lines file of each kind of job, relative to RUN. */
export const EVENTS_FILE = { train: 'metrics.jsonl', synthetic: 'images/events.jsonl' } as const;

export function followCommand(
  runDir: string,
  eventsFile: string,
  from: { metricsLines: number; logLines: number },
  pollSeconds: number,
  gpuEveryPolls: number,
): string {
  const args = [from.metricsLines, from.logLines, pollSeconds, Math.max(1, gpuEveryPolls), eventsFile].map(String);
  return `sh -c ${shellQuote(FOLLOW_SCRIPT)} sv-follow ${quoteRemotePath(runDir)} ${shellCommand(args)}`;
}

/** SIGTERM to the trainer (it checkpoints and exits 143). Prints signalled, ended or gone. */
export function stopCommand(runDir: string): string {
  const script = String.raw`
cd "$1" 2>/dev/null || { echo gone; exit 0; }
if [ -f exit-code ]; then echo ended
elif [ -f pid ] && kill -TERM "$(cat pid)" 2>/dev/null; then echo signalled
else echo gone
fi
`;
  return `sh -c ${shellQuote(script)} sv-stop ${quoteRemotePath(runDir)}`;
}
