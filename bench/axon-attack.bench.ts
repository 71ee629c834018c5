/**
 * The axon under hostile traffic: each attack runs for ATTACK_SECONDS (default 60) against an axon
 * serving the shipped model in a real inference worker, while real validators send a steady
 * stream of valid signed requests. Prints, per attack beside the quiet figure measured in the same
 * run: the valid requests' p50/p99 latency and the share answered 200 within the dendrite's
 * timeout, the inference worker's peak resident memory, and whether the axon still answers.
 * Attackers and validators run in processes of their own (bench/attack-load.ts).
 * Aim (issue 13): >= 99 % answered in time, worker < 1 GB, alive, under every attack.
 * Usage: [ATTACK_SECONDS=60] [ATTACKS=gate-leak,junk-slow-body,bomb,forged-flood] tsx bench/axon-attack.bench.ts [--json]
 */
import { readFileSync } from 'node:fs';
import { pause } from '../main/base/retry.js';
import { buildDendriteRequest } from '../main/bittensor/dendrite.js';
import { IMAGE_SYNAPSE } from '../main/miner/image-synapse.js';
import { percentile } from '../main/scoring/metrics.js';
import { renderStreetImage } from '../main/scenes/generate.js';
import { VALID_TIMEOUT_S, type AttackResult, type Role, type ValidResult } from './attack-protocol.js';
import { runLoadProcess, startBenchAxon } from './bench-axon.js';
import { errorMessage } from '../shared/errors.js';

const SECONDS = Number(process.env.ATTACK_SECONDS ?? 60);
/** ATTACKS=bomb,forged-flood runs only those (after the quiet run); all by default. */
const ONLY = process.env.ATTACKS?.split(',').map((name) => name.trim());
const ALL_SCENARIOS: { role: Exclude<Role, 'valid'> | null; name: string }[] = [
  { role: null, name: 'quiet (no attack)' },
  { role: 'gate-leak', name: 'gate leak: 64 held, dropped every 2 s' },
  { role: 'junk-slow-body', name: 'junk signature, slow body, as Alice' },
  { role: 'bomb', name: '20000x20000 JPEG, signed and forged' },
  { role: 'forged-flood', name: 'forged-signature flood' },
];
const SCENARIOS = ALL_SCENARIOS.filter((scenario) => !ONLY || !scenario.role || ONLY.includes(scenario.role));

function runLoad<T>(port: number, minerHotkey: string, role: Role): Promise<T> {
  return runLoadProcess<T>('attack-load.ts', [String(port), minerHotkey, role, String(SECONDS)]);
}

/** Resident memory of a process in bytes (Linux), null when it is gone or unreadable. */
function residentBytes(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null;
  }
}

interface Row {
  name: string;
  valid: number;
  inTimeShare: number;
  p50: number | null;
  p99: number | null;
  attack: AttackResult | null;
  peakRssMb: number | null;
  alive: boolean;
}

async function main(): Promise<void> {
  // Alice, whom every attack claims or is, has the most stake: her requests come first.
  const { axon, inference, miner, validators, close } = await startBenchAxon({
    stakeOf: (uid) => (uid === 0 ? 50_000 : 1000),
  });
  const probeImage = (await renderStreetImage(6, 'roadwork', 0)).jpeg.toString('base64');
  const alive = async (): Promise<boolean> => {
    const request = buildDendriteRequest(
      validators[1]!,
      { ip: '127.0.0.1', port: axon.port, hotkey: miner.address },
      { synapseName: IMAGE_SYNAPSE, fields: { image: probeImage, prediction: -1.0, testnet_label: -1 } },
    );
    try {
      const reply = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
      return reply.status === 200 && residentBytes(inference.workerPid) !== null;
    } catch {
      return false;
    }
  };

  process.stdout.write(`\nAxon under attack: ${SECONDS} s per attack, valid requests from //Bob..//Eve\n`);
  const rows: Row[] = [];
  for (const scenario of SCENARIOS) {
    let peak = residentBytes(inference.workerPid) ?? 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, residentBytes(inference.workerPid) ?? 0);
    }, 100);
    const [valid, attack] = await Promise.all([
      runLoad<ValidResult>(axon.port, miner.address, 'valid'),
      scenario.role ? runLoad<AttackResult>(axon.port, miner.address, scenario.role) : Promise.resolve(null),
    ]);
    clearInterval(sampler);
    const times = valid.requests.map((r) => r.ms).sort((a, b) => a - b);
    const inTime = valid.requests.filter((r) => r.status === 200 && r.ms <= VALID_TIMEOUT_S * 1000).length;
    const row: Row = {
      name: scenario.name,
      valid: valid.requests.length,
      inTimeShare: valid.requests.length > 0 ? inTime / valid.requests.length : 0,
      p50: times.length > 0 ? percentile(times, 0.5) : null,
      p99: times.length > 0 ? percentile(times, 0.99) : null,
      attack,
      peakRssMb: peak > 0 ? peak / 1024 / 1024 : null,
      alive: await alive(),
    };
    rows.push(row);
    process.stdout.write(`  ${describe(row)}\n`);
    // Let what the attack left (held connections, a worker recycling) settle before the next one.
    await pause(2000);
  }
  await close();

  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const quiet = rows[0]!;
  const header = [
    'attack',
    'valid',
    '200 in time',
    'p50 ms',
    'p99 ms',
    'vs quiet p99',
    'worker peak',
    'alive',
    'attack requests',
  ];
  const table = rows.map((row) => [
    row.name,
    String(row.valid),
    `${(row.inTimeShare * 100).toFixed(1)} %`,
    row.p50 === null ? '—' : row.p50.toFixed(1),
    row.p99 === null ? '—' : row.p99.toFixed(1),
    row.p99 === null || quiet.p99 === null ? '—' : `${(row.p99 / quiet.p99).toFixed(2)}×`,
    row.peakRssMb === null ? '—' : `${row.peakRssMb.toFixed(0)} MB`,
    row.alive ? 'yes' : 'NO',
    row.attack ? statuses(row.attack) : '—',
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...table.map((cells) => cells[i]!.length)));
  const line = (cells: string[]): string => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  process.stdout.write(`\n${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const cells of table) process.stdout.write(`${line(cells)}\n`);
  const met = rows.every((row) => row.inTimeShare >= 0.99 && (row.peakRssMb ?? 0) < 1024 && row.alive);
  process.stdout.write(`\nAim (>= 99 % in time, worker < 1 GB, alive) ${met ? 'met' : 'NOT met'} in every row.\n`);
}

function statuses(attack: AttackResult): string {
  const parts = Object.entries(attack.byStatus)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([status, count]) => `${status === '0' ? 'none' : status}×${count}`);
  return `${attack.sent}: ${parts.join(' ')}`;
}

function describe(row: Row): string {
  return `${row.name}: ${(row.inTimeShare * 100).toFixed(1)} % of ${row.valid} valid in time, p50 ${row.p50?.toFixed(1) ?? '—'} ms, p99 ${row.p99?.toFixed(1) ?? '—'} ms, worker peak ${row.peakRssMb?.toFixed(0) ?? '—'} MB, ${row.alive ? 'alive' : 'NOT ALIVE'}`;
}

main().catch((error: unknown) => {
  process.stderr.write(`Axon attack benchmark failed: ${errorMessage(error)}\n`);
  process.exit(1);
});
