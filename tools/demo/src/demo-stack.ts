import { APP_NODE_FLAGS } from '@model-service/platform';
import { sleep } from '@model-service/util';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { WIRING_VARIABLES } from './demo-settings';

export interface RunningApp {
  name: string;
  port: number;
  pid: number;
  logFile: string;
  /** How it was started: the built bundle or ts-node on the sources. */
  runner: 'bundle' | 'ts-node';
  child: ChildProcess;
  /** Exit code (or signal name) once it has exited. */
  exit: { code: number | null; signal: string | null } | null;
  exited: Promise<void>;
}

function newestMtime(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** The app's webpack bundle when it exists and is newer than every source it is built from, else null. */
export function currentBundle(root: string, app: string): string | null {
  const bundle = join(root, 'dist', 'apps', app, 'main.js');
  if (!existsSync(bundle)) return null;
  const built = statSync(bundle).mtimeMs;
  const sources = Math.max(newestMtime(join(root, 'apps', app, 'src')), newestMtime(join(root, 'libs')));
  return built > sources ? bundle : null;
}

/**
 * Starts an app in its own process group (so stopping it also stops any worker it forks), with its
 * output in `logFile`: the built bundle when current, else main.ts through ts-node (transpile only) and
 * tsconfig-paths, like spawnApp in libs/platform.
 */
export function launchApp(root: string, name: string, port: number, env: Record<string, string>, logFile: string): RunningApp {
  const bundle = currentBundle(root, name);
  const args = [...APP_NODE_FLAGS, ...(bundle ? [bundle] : ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', join(root, 'apps', name, 'src', 'main.ts')])];
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !WIRING_VARIABLES.has(k)));
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, args, {
    cwd: root,
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { ...base, TS_NODE_PROJECT: join(root, 'tsconfig.tools.json'), TS_NODE_TRANSPILE_ONLY: 'true', ...env },
  });
  closeSync(fd);
  const app: RunningApp = {
    name,
    port,
    pid: child.pid ?? -1,
    logFile,
    runner: bundle ? 'bundle' : 'ts-node',
    child,
    exit: null,
    exited: Promise.resolve(),
  };
  app.exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      app.exit = { code, signal };
      resolve();
    });
    child.once('error', () => {
      app.exit = { code: -1, signal: null };
      resolve();
    });
  });
  return app;
}

export interface Health {
  httpStatus: number;
  body: Record<string, unknown> | null;
}

/** GET /health of an app; httpStatus 0 when it does not answer. */
export async function health(app: Pick<RunningApp, 'port'>, timeoutMs = 2_000): Promise<Health> {
  try {
    const res = await fetch(`http://127.0.0.1:${app.port}/health`, { signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    let body: Record<string, unknown> | null = null;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = null;
    }
    return { httpStatus: res.status, body };
  } catch {
    return { httpStatus: 0, body: null };
  }
}

/** Waits until /health answers (any status) or the app exits; false on exit or timeout. */
export async function waitForHttp(app: RunningApp, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (app.exit) return false;
    if ((await health(app)).httpStatus !== 0) return true;
    await sleep(500);
  }
  return false;
}

/** The last `lines` lines of an app's log. */
export function logTail(app: Pick<RunningApp, 'logFile'>, lines = 15): string {
  try {
    return readFileSync(app.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function signalGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    /* the group is gone */
  }
}

/** Process ids still alive in the given process groups (ps -eo pid,pgid). */
export function survivors(groups: readonly number[]): number[] {
  const out = spawnSync('ps', ['-eo', 'pid=,pgid='], { encoding: 'utf8' }).stdout ?? '';
  const wanted = new Set(groups);
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter(([pid, pgid]) => Number.isInteger(pid) && wanted.has(pgid))
    .map(([pid]) => pid);
}

/**
 * Stops apps in the given order: SIGTERM to each process group, up to `graceMs` for a clean shutdown,
 * then SIGKILL. Returns the pids still alive afterwards (checked with ps), which should be none.
 */
export async function stopApps(apps: readonly RunningApp[], graceMs = 15_000): Promise<number[]> {
  for (const app of apps) {
    if (app.pid <= 0) continue;
    signalGroup(app.pid, 'SIGTERM');
    const done = await Promise.race([app.exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (!done || survivors([app.pid]).length > 0) signalGroup(app.pid, 'SIGKILL');
  }
  const groups = apps.map((a) => a.pid).filter((p) => p > 0);
  for (let i = 0; i < 20 && survivors(groups).length > 0; i++) await sleep(100);
  return survivors(groups);
}
