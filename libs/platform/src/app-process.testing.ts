import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { sleep } from '@model-service/util';

import { APP_NODE_FLAGS } from './app-node-flags';

const ROOT = join(__dirname, '../../..');

export interface AppProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

/** Builds apps/<app> with webpack (as production does) and returns the bundle's path. */
export function buildApp(app: string): string {
  execFileSync('npx', ['nx', 'run', `${app}:build`, '--output-style=static'], { cwd: ROOT, stdio: 'ignore' });
  return join(ROOT, 'dist', 'apps', app, 'main.js');
}

/**
 * Starts an app in a child process with the given env: apps/<app>/src/main.ts under ts-node
 * (transpile only), or, with `bundle`, a production bundle from buildApp.
 */
export function spawnApp(app: string, env: Record<string, string>, opts: { bundle?: string; nodeArgs?: string[] } = {}): AppProcess {
  const args = [
    ...APP_NODE_FLAGS,
    ...(opts.nodeArgs ?? []),
    ...(opts.bundle ? [opts.bundle] : ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', join(ROOT, 'apps', app, 'src', 'main.ts')]),
  ];
  const child = spawn(
    process.execPath,
    args,
    {
      cwd: ROOT,
      env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.tools.json'), TS_NODE_TRANSPILE_ONLY: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout?.on('data', (d) => (out += String(d)));
  child.stderr?.on('data', (d) => (out += String(d)));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    child,
    output: () => out,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Polls url until predicate(status, body) holds or the timeout passes; returns the last answer. */
export async function waitForHttp(
  url: string,
  predicate: (status: number, body: unknown) => boolean,
  timeoutMs = 30_000,
): Promise<{ status: number; body: unknown }> {
  const deadline = Date.now() + timeoutMs;
  let last: { status: number; body: unknown } = { status: 0, body: null };
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      last = { status: res.status, body };
      if (predicate(res.status, body)) return last;
    } catch {
      /* not listening yet */
    }
    await sleep(250);
  }
  return last;
}

/**
 * A TCP port that was free a moment ago on 127.0.0.1 (for an app or stub started next): `preferred` when nothing
 * listens on it, else one the OS picks.
 */
export function freePort(preferred = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', (err) => (preferred === 0 ? reject(err) : resolve(freePort(0))));
    srv.listen(preferred, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
