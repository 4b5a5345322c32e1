/**
 * Cost curves for the benches that take a size: `--rows 100000,300000,1000000` (or `--events …`) runs the
 * same bench once per size, each in its own process (so peak memory is that size's own), and prints per
 * size the figures the bench reports plus the growth factor of each figure between consecutive sizes
 * and per 10× of size (growth per 10× = factor ^ (1 / log10(size ratio))): linear cost shows 10× per 10×
 * for totals, a flat p99 shows ~1×.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { stringArg } from './bench-args';

/** The list given to `--name` when it holds more than one size, else undefined (run the bench as usual). */
export function sizeList(name: string): number[] | undefined {
  const raw = stringArg(name);
  if (!raw || !raw.includes(',')) return undefined;
  const sizes = raw.split(',').map((s) => Number(s.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`--${name} must be a comma-separated list of positive integers`);
  return sizes;
}

type Figures = Record<string, number | string | boolean>;

/** Runs `script` once per size (same arguments, `--name <size>`), prints the curve, returns its JSON. */
export function runCostCurve(script: string, name: string, sizes: number[], figures: string[]): Record<string, unknown> {
  // The bench's arguments without the size list (`--name a,b` or `--name=a,b`); each child gets `--name <size>`.
  const args = process.argv.slice(2).filter((a, i, all) => a !== `--${name}` && !a.startsWith(`--${name}=`) && all[i - 1] !== `--${name}`);
  const results: Array<{ size: number; figures: Figures }> = [];
  for (const size of sizes) {
    const childArgs = [...args, `--${name}`, String(size)];
    process.stderr.write(`\n=== ${name} = ${size}\n`);
    // The bench's own sources again, through ts-node as `npm run bench:*` runs them.
    const child = spawnSync(process.execPath, ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', script, ...childArgs], {
      cwd: join(__dirname, '../../..'),
      env: { ...process.env, TS_NODE_PROJECT: join(__dirname, '../../..', 'tsconfig.tools.json'), TS_NODE_TRANSPILE_ONLY: 'true' },
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    process.stderr.write(child.stdout);
    if (child.status !== 0) throw new Error(`${name} = ${size}: the bench exited with ${child.status}`);
    const last = child.stdout.trim().split('\n').pop() ?? '';
    results.push({ size, figures: JSON.parse(last) as Figures });
  }
  const num = (v: unknown): number => (typeof v === 'number' ? v : Number.NaN);
  const round = (v: number): number => Math.round(v * 100) / 100;
  const growth = results.slice(1).map((r, i) => {
    const prev = results[i]!;
    const ratio = r.size / prev.size;
    const entry: Record<string, number> = { from: prev.size, to: r.size };
    for (const f of figures) {
      const factor = num(r.figures[f]) / num(prev.figures[f]);
      entry[`${f}_x`] = round(factor);
      entry[`${f}_x_per_10x`] = round(factor ** (1 / Math.log10(ratio)));
    }
    return entry;
  });
  const header = [name, ...figures];
  process.stdout.write(`\ncost curve\n${header.join('\t')}\n`);
  for (const r of results) process.stdout.write(`${[r.size, ...figures.map((f) => r.figures[f])].join('\t')}\n`);
  for (const g of growth) {
    process.stdout.write(`growth ${g['from']} → ${g['to']}: ${figures.map((f) => `${f} ×${g[`${f}_x`]} (×${g[`${f}_x_per_10x`]} per 10×)`).join(', ')}\n`);
  }
  return { sizes: results.map((r) => ({ [name]: r.size, ...Object.fromEntries(figures.map((f) => [f, r.figures[f]])) })), growth };
}
