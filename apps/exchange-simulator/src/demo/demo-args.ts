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

function positive(name: string, raw: string | undefined): number {
  const n = Number(raw);
  if (raw === undefined || raw.trim() === '' || !Number.isFinite(n) || n <= 0) throw new DemoArgsError(`${name} needs a positive number, got ${JSON.stringify(raw ?? '')}`);
  return n;
}

export function parseDemoArgs(argv: readonly string[]): DemoArgs {
  const args: DemoArgs = {
    durationSeconds: null,
    candles: null,
    speed: 10,
    refreshSeconds: 3,
    queuePrefix: '',
    reportFile: null,
    keepData: false,
    stopWhenDone: false,
    expectModelMode: false,
    cutDatabase: null,
    help: false,
  };
  let cutAt: number | null = null;
  let cutFor: number | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new DemoArgsError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--duration':
        args.durationSeconds = positive('--duration', value());
        break;
      case '--candles':
        args.candles = value();
        break;
      case '--speed':
        args.speed = positive('--speed', value());
        break;
      case '--refresh':
        args.refreshSeconds = positive('--refresh', value());
        break;
      case '--queue-prefix': {
        const p = value();
        if (!/^[A-Za-z0-9_.-]{1,80}$/.test(p)) throw new DemoArgsError('--queue-prefix may hold only letters, digits, _ . -');
        args.queuePrefix = p;
        break;
      }
      case '--report':
        args.reportFile = value();
        break;
      case '--keep-data':
        args.keepData = true;
        break;
      case '--stop-when-done':
        args.stopWhenDone = true;
        break;
      case '--expect-model-mode':
        args.expectModelMode = true;
        break;
      case '--cut-database-at': {
        const raw = value();
        cutAt = Number(raw);
        if (raw.trim() === '' || !Number.isFinite(cutAt) || cutAt < 0) throw new DemoArgsError(`--cut-database-at needs a number of seconds >= 0, got ${JSON.stringify(raw)}`);
        break;
      }
      case '--cut-database-for':
        cutFor = positive('--cut-database-for', value());
        break;
      case '-h':
      case '--help':
        args.help = true;
        break;
      default:
        throw new DemoArgsError(`unknown option ${arg}`);
    }
  }
  if ((cutAt === null) !== (cutFor === null)) throw new DemoArgsError(cutAt === null ? '--cut-database-for needs --cut-database-at' : '--cut-database-at needs --cut-database-for');
  if (cutAt !== null && cutFor !== null) args.cutDatabase = { atSeconds: cutAt, forSeconds: cutFor };
  return args;
}
