/** What a bench reads about the app process it started, from /proc (nothing asked of the app itself). */
import { readFileSync } from 'node:fs';

import { stringArg } from './bench-args';

/** `--cpu-prof DIR`: node flags that make the app write a V8 CPU profile into DIR when it exits. */
export function cpuProfileArgs(): string[] {
  const dir = stringArg('cpu-prof');
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/** VmRSS and VmHWM (peak) of a process in MB. */
export function rssOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(/(\d+)\s*kB/.exec(status.split('\n').find((l) => l.startsWith(key)) ?? '')?.[1] ?? 0);
  return { rss: kb('VmRSS:') / 1024, peak: kb('VmHWM:') / 1024 };
}
