import { parseArgs, ParseArgsConfig } from 'node:util';

/** Options of `npm run demo -- ...`. */
export interface DemoArgs {
  /** Stop after this many seconds; null = run until Ctrl-C. */
  durationSeconds: number | null;
  /** SIMULATOR_CANDLES_FILE value (`file.csv` or `SYMBOL=file.csv`, comma-separated); null = the seeded generator. */
  candles: string | null;
  /** Candles per second of the simulator. */
  speed: number;
  /** Seconds between two refreshes of the summary. */
  refreshSeconds: number;
  /** Prepended to every queue name (all apps that support it); empty = the standard names. */
  queuePrefix: string;
  /** Write the final summary as JSON to this file. */
  reportFile: string | null;
  /** Keep the demo database of an earlier run (default: the demo's own database starts empty). */
  keepData: boolean;
  /** Stop as soon as every stage that can happen has happened (tests, quick checks). */
  stopWhenDone: boolean;
  /** Count model-mode signals as a required stage (default: reported as pending until model mode exists). */
  expectModelMode: boolean;
  /** Make PostgreSQL unreachable for the apps and the summary (through a TCP proxy) from `atSeconds` for `forSeconds`. */
  cutDatabase: { atSeconds: number; forSeconds: number } | null;
  help: boolean;
}

export const DEMO_USAGE = `usage: npm run demo -- [options]

  --duration <s>      stop after s seconds (default: run until Ctrl-C)
  --candles <file>    replay your own candles instead of the built-in market: a CSV with
                      open time, open, high, low, close, volume[, turnover] (header optional, ms or s);
                      the symbol comes from the file name (BTCUSDT-1m.csv) or SYMBOL=file.csv;
                      several files comma-separated
  --speed <n>         candles per second (default 10)
  --refresh <s>       seconds between summary refreshes (default 3)
  --queue-prefix <p>  prefix for every queue name (isolated runs on a shared broker)
  --report <file>     write the final summary as JSON
  --keep-data         reuse the demo database of an earlier run instead of starting empty
  --stop-when-done    stop as soon as every stage has been shown (exit code 0) or --duration passes (1)
  --expect-model-mode require model-mode signals even when signal-generator does not report model mode
                      in /health (otherwise that stage shows as pending until it does)
  --cut-database-at <s> --cut-database-for <s>
                      an outage drill: the apps and the summary reach PostgreSQL through a TCP proxy
                      that drops every connection s seconds after the start (the --duration clock)
                      and refuses new ones for the given seconds; the server itself keeps running
  -h, --help          this text

Environment: DATABASE_URL (default: database model_service_demo on the local server, emptied at
each start unless --keep-data; a DATABASE_URL you set is used as is and never emptied), RABBITMQ_URL.`;

export class DemoArgsError extends Error {
  override readonly name = 'DemoArgsError';
}

const OPTIONS = {
  duration: { type: 'string' },
  candles: { type: 'string' },
  speed: { type: 'string' },
  refresh: { type: 'string' },
  'queue-prefix': { type: 'string' },
  report: { type: 'string' },
  'keep-data': { type: 'boolean' },
  'stop-when-done': { type: 'boolean' },
  'expect-model-mode': { type: 'boolean' },
  'cut-database-at': { type: 'string' },
  'cut-database-for': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

function positive(name: string, raw: string | undefined): number {
  const n = Number(raw);
  if (raw === undefined || raw.trim() === '' || !Number.isFinite(n) || n <= 0) throw new DemoArgsError(`${name} needs a positive number, got ${JSON.stringify(raw ?? '')}`);
  return n;
}

/**
 * `--duration -5` → `--duration=-5`: parseArgs refuses a value that starts with a dash as ambiguous, but a
 * negative number is a value here (no option is a digit), and it should be refused for being negative.
 */
function joinNegativeValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') ? argv[i].slice(2) : '';
    const option = (OPTIONS as Record<string, { type: string }>)[name];
    if (option?.type === 'string' && /^-\d/.test(argv[i + 1] ?? '')) out.push(`${argv[i]}=${argv[++i]}`);
    else out.push(argv[i]);
  }
  return out;
}

/** node:util parseArgs (strict), its errors turned into DemoArgsError naming the option. */
function readOptions(argv: readonly string[]): ReturnType<typeof parseArgs<{ options: typeof OPTIONS; strict: true }>>['values'] {
  try {
    return parseArgs({ args: joinNegativeValues(argv), options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (err) {
    const e = err as { code?: string; message?: string };
    const option = /'(--?[A-Za-z-]+)/.exec(e.message ?? '')?.[1] ?? '';
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new DemoArgsError(`${option} needs a value`);
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new DemoArgsError(`unknown option ${option}`);
    if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new DemoArgsError(`unknown option ${/'([^']*)'/.exec(e.message ?? '')?.[1] ?? ''}`);
    throw new DemoArgsError(String(e.message ?? err));
  }
}

export function parseDemoArgs(argv: readonly string[]): DemoArgs {
  const o = readOptions(argv);
  const queuePrefix = o['queue-prefix'] ?? '';
  if (o['queue-prefix'] !== undefined && !/^[A-Za-z0-9_.-]{1,80}$/.test(queuePrefix)) throw new DemoArgsError('--queue-prefix may hold only letters, digits, _ . -');
  let cutAt: number | null = null;
  if (o['cut-database-at'] !== undefined) {
    const raw = o['cut-database-at'];
    cutAt = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(cutAt) || cutAt < 0) throw new DemoArgsError(`--cut-database-at needs a number of seconds >= 0, got ${JSON.stringify(raw)}`);
  }
  const cutFor = o['cut-database-for'] === undefined ? null : positive('--cut-database-for', o['cut-database-for']);
  if ((cutAt === null) !== (cutFor === null)) throw new DemoArgsError(cutAt === null ? '--cut-database-for needs --cut-database-at' : '--cut-database-at needs --cut-database-for');
  return {
    durationSeconds: o.duration === undefined ? null : positive('--duration', o.duration),
    candles: o.candles ?? null,
    speed: o.speed === undefined ? 10 : positive('--speed', o.speed),
    refreshSeconds: o.refresh === undefined ? 3 : positive('--refresh', o.refresh),
    queuePrefix,
    reportFile: o.report ?? null,
    keepData: o['keep-data'] ?? false,
    stopWhenDone: o['stop-when-done'] ?? false,
    expectModelMode: o['expect-model-mode'] ?? false,
    cutDatabase: cutAt !== null && cutFor !== null ? { atSeconds: cutAt, forSeconds: cutFor } : null,
    help: o.help ?? false,
  };
}
