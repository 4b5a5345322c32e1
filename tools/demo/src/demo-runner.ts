import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { DemoArgs } from './demo-args';
import { DEMO_APPS, DemoApp, demoEnvironments, DemoPlan, withUserOverrides } from './demo-settings';
import { health, launchApp, logTail, RunningApp, stopApps, waitForHttp } from './demo-stack';
import { DemoSnapshot, renderSnapshot, Stage, stagesOf } from './demo-summary';
import { SummaryReader } from './demo-summary-reader';

export const MODEL_MODE_PENDING = 'signal-generator /health reports no model section (no model loaded yet)';
/** signal-generator reports its loaded models in /health (section `models`) once it has model mode. */
const MODEL_MODE_HEALTH_SECTION = 'models';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Stopped first, so no new signal is published while the rest drains. */
const PRODUCERS: readonly string[] = ['signal-generator', 'exit-strategy'];
/** How long the final figures wait for an unreachable database before the verdict falls back on the last ones read. */
export const FINAL_READ_TIMEOUT_MS = 90_000;

/** A database outage the demo stages on purpose: cut() makes PostgreSQL unreachable for the apps and the summary. */
export interface DatabaseOutage {
  /** Seconds after the demo started (the clock of --duration). */
  atSeconds: number;
  forSeconds: number;
  cut(): void;
  restore(): void;
}

export interface DemoOutcome {
  exitCode: number;
  reason: 'duration' | 'done' | 'interrupted' | 'app_exited' | 'start_failed';
  stages: Stage[];
  snapshot: DemoSnapshot | null;
  leftoverPids: number[];
  message: string;
  /** signal-generator showed model mode in /health (else the model-mode stage was reported as pending). */
  modelModeBuilt: boolean;
  /** The verdict's figures were read after the apps stopped (false: the database never answered; the last figures read were used). */
  finalFromDatabase: boolean;
}

/**
 * Runs the loop: starts the apps, shows the summary every few seconds, and stops on request, after the
 * duration, when every stage has been shown (--stop-when-done) or when an app dies. Stopping drains the
 * loop first (producers stop, the simulator fills what is pending, the trainer stores every fill), then
 * stops every process group and checks with ps that nothing is left.
 */
export class DemoRunner {
  private readonly apps: RunningApp[] = [];
  private stopRequested: DemoOutcome['reason'] | null = null;
  private reader?: SummaryReader;
  private lastSnapshot: DemoSnapshot | null = null;
  private readonly started = Date.now();
  private readonly outageTimers: NodeJS.Timeout[] = [];
  private outageActive = false;
  /** Whether signal-generator has model mode (seen in its /health); until then that stage is pending. */
  private modelModeBuilt = false;

  constructor(
    private readonly root: string,
    private readonly args: DemoArgs,
    private readonly plan: DemoPlan,
    private readonly runDir: string,
    private readonly out: (text: string, redraw: boolean) => void,
    private readonly outage: DatabaseOutage | null = null,
  ) {}

  private get modelModePending(): string | null {
    return this.args.expectModelMode || this.modelModeBuilt ? null : MODEL_MODE_PENDING;
  }

  /** Pids of the app process groups (for an emergency kill on exit). */
  pids(): number[] {
    return this.apps.map((a) => a.pid).filter((p) => p > 0);
  }

  requestStop(): void {
    this.stopRequested ??= 'interrupted';
  }

  async run(): Promise<DemoOutcome> {
    const logDir = join(this.runDir, 'logs');
    mkdirSync(logDir, { recursive: true });
    const envs = demoEnvironments(this.plan);
    for (const name of DEMO_APPS) {
      const env = withUserOverrides(envs[name], process.env);
      this.apps.push(launchApp(this.root, name, this.plan.ports[name], env, join(logDir, `${name}.log`)));
    }
    this.out(`starting ${this.apps.map((a) => `${a.name} (:${a.port}, ${a.runner})`).join(', ')}; logs in ${logDir}`, false);
    const up = await Promise.all(this.apps.map((a) => waitForHttp(a, 180_000)));
    const failed = this.apps.find((_, i) => !up[i]);
    if (failed || this.stopRequested) {
      const message = failed ? `${failed.name} did not start (exit ${JSON.stringify(failed.exit)}); last lines of ${failed.logFile}:\n${logTail(failed)}` : 'interrupted';
      return this.finish(failed ? 'start_failed' : 'interrupted', message);
    }
    this.reader = new SummaryReader(this.plan.databaseUrl);
    this.scheduleOutage();
    return this.monitor();
  }

  private async monitor(): Promise<DemoOutcome> {
    const deadline = this.args.durationSeconds === null ? null : this.started + this.args.durationSeconds * 1000;
    for (;;) {
      const dead = this.apps.find((a) => a.exit !== null);
      if (dead) return this.finish('app_exited', `${dead.name} exited (${JSON.stringify(dead.exit)}); last lines of ${dead.logFile}:\n${logTail(dead)}`);
      const stages = await this.refresh();
      if (this.stopRequested) return this.finish(this.stopRequested, 'stopped on request');
      if (this.args.stopWhenDone && stages.length > 0 && stages.every((s) => s.done || s.pending)) return this.finish('done', 'every stage shown');
      if (deadline !== null && Date.now() >= deadline) return this.finish('duration', `--duration ${this.args.durationSeconds} s reached`);
      const wait = Math.min(this.args.refreshSeconds * 1000, deadline === null ? Infinity : Math.max(0, deadline - Date.now()));
      for (let t = 0; t < wait && !this.stopRequested; t += 200) await sleep(Math.min(200, wait - t));
    }
  }

  private scheduleOutage(): void {
    const o = this.outage;
    if (!o) return;
    const at = (s: number) => Math.max(0, this.started + s * 1000 - Date.now());
    this.outageTimers.push(
      setTimeout(() => {
        this.outageActive = true;
        o.cut();
        this.out(`database cut for ${o.forSeconds} s (--cut-database-at ${o.atSeconds})`, false);
      }, at(o.atSeconds)),
      setTimeout(() => this.endOutage(), at(o.atSeconds + o.forSeconds)),
    );
  }

  private endOutage(): void {
    for (const t of this.outageTimers) clearTimeout(t);
    if (!this.outageActive) return;
    this.outageActive = false;
    this.outage?.restore();
    this.out('database restored', false);
  }

  private async refresh(): Promise<Stage[]> {
    if (!this.reader) return [];
    await this.reader.refresh();
    const snapshot = this.reader.snapshot;
    this.lastSnapshot = snapshot;
    const healths = await Promise.all(this.apps.map((a) => health(a)));
    const generator = healths[DEMO_APPS.indexOf('signal-generator')].body;
    if (generator && MODEL_MODE_HEALTH_SECTION in generator) this.modelModeBuilt = true;
    const sim = healths[DEMO_APPS.indexOf('exchange-simulator')].body?.['simulator'] as { market?: { simulated_time?: string; prices?: Record<string, number | null> } } | undefined;
    const elapsed = (Date.now() - this.started) / 1000;
    this.out(
      renderSnapshot(snapshot, {
        elapsedSeconds: elapsed,
        remainingSeconds: this.args.durationSeconds === null ? null : Math.max(0, this.args.durationSeconds - elapsed),
        apps: this.apps.map((a, i) => ({ name: a.name, status: healths[i].httpStatus === 0 ? 'DOWN' : String(healths[i].body?.['status'] ?? healths[i].httpStatus) })),
        market: sim?.market ? { simulatedTime: sim.market.simulated_time, prices: sim.market.prices } : null,
        initialQuote: this.plan.initialBalanceUsdt,
        modelModePending: this.modelModePending,
        database: { state: this.reader.database, startedAt: this.started, now: Date.now() },
      }),
      true,
    );
    return snapshot ? stagesOf(snapshot, this.modelModePending) : [];
  }

  /** Lets the loop settle (bounded): producers are stopped, the rest finish what is in flight (also while the database is away). */
  private async drain(): Promise<void> {
    if (!this.reader) return;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const b = await this.reader.backlog();
      if (b && b.signalsWithoutOrder === 0 && b.pendingOrders === 0 && b.fillsNotStored === 0) return;
      await sleep(500);
    }
  }

  /** The verdict's figures: read from the database once it answers (bounded), else the last ones read. */
  private async finalSnapshot(): Promise<boolean> {
    if (!this.reader) return false;
    let fresh = await this.reader.refresh();
    if (!fresh) {
      this.out(`database unreachable (${this.reader.database.error}); waiting up to ${FINAL_READ_TIMEOUT_MS / 1000} s for the final figures`, false);
      fresh = await this.reader.readUntilReachable(FINAL_READ_TIMEOUT_MS);
    }
    if (fresh) this.lastSnapshot = fresh;
    return fresh !== null;
  }

  private async finish(reason: DemoOutcome['reason'], message: string): Promise<DemoOutcome> {
    this.out(`stopping (${message.split('\n')[0]}) ...`, false);
    const producers = this.apps.filter((a) => PRODUCERS.includes(a.name));
    const rest = this.apps.filter((a) => !PRODUCERS.includes(a.name));
    const leftovers = await stopApps(producers);
    if (reason !== 'start_failed' && reason !== 'app_exited') await this.drain();
    leftovers.push(...(await stopApps(rest)));
    let stages: Stage[] = [];
    const finalFromDatabase = await this.finalSnapshot();
    this.endOutage();
    await this.reader?.close();
    if (this.lastSnapshot) stages = stagesOf(this.lastSnapshot, this.modelModePending);
    const note = !finalFromDatabase && this.reader ? `${message}; the database did not answer at the end: the verdict uses the last figures read` : message;
    const missing = stages.filter((s) => !s.done && !s.pending).map((s) => s.name);
    const exitCode = reason === 'interrupted' ? 0 : reason === 'done' ? 0 : reason === 'duration' && missing.length === 0 ? 0 : 1;
    const outcome: DemoOutcome = {
      exitCode,
      reason,
      stages,
      snapshot: this.lastSnapshot,
      leftoverPids: leftovers,
      message: note,
      modelModeBuilt: this.modelModeBuilt,
      finalFromDatabase,
    };
    if (this.args.reportFile) writeFileSync(this.args.reportFile, JSON.stringify({ ...outcome, apps: this.apps.map(appReport), plan: { ...this.plan, databaseUrl: undefined } }, null, 2));
    return outcome;
  }
}

function appReport(a: RunningApp): Record<string, unknown> {
  return { name: a.name as DemoApp, port: a.port, pid: a.pid, runner: a.runner, log: a.logFile, exit: a.exit };
}
