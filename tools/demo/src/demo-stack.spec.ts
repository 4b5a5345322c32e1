import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

import { freePort } from '@model-service/platform/testing';

import { RunningApp, stopApps, survivors } from './demo-stack';

function group(script: string): RunningApp {
  const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  const app: RunningApp = { name: 'test', port: 0, pid: child.pid as number, logFile: '/dev/null', runner: 'ts-node', child, exit: null, exited: Promise.resolve() };
  app.exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      app.exit = { code, signal };
      resolve();
    }),
  );
  return app;
}

describe('demo stack', () => {
  it('stops a whole process group, children included, and ps finds nothing left', async () => {
    const app = group('sleep 30 & sleep 30 & wait');
    await new Promise((r) => setTimeout(r, 200));
    expect(survivors([app.pid]).length).toBeGreaterThanOrEqual(3);
    expect(await stopApps([app], 2_000)).toEqual([]);
    expect(survivors([app.pid])).toEqual([]);
  });

  it('kills a group that ignores SIGTERM after the grace period', async () => {
    const app = group("trap '' TERM; sleep 30 & wait; sleep 30");
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    expect(await stopApps([app], 500)).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
  });

  it('picks the preferred port when free, another one when taken', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const taken = (srv.address() as { port: number }).port;
    const other = await freePort(taken);
    expect(other).not.toBe(taken);
    await new Promise((r) => srv.close(r));
    expect(await freePort(taken)).toBe(taken);
  });
});
