import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

/** The repository root, where docker-compose.yml and docker/monitoring live. */
export const REPO_ROOT = join(__dirname, '../../..');
export const MONITORING_DIR = join(REPO_ROOT, 'docker', 'monitoring');

/** Parses a YAML file of the repository (compose merge keys `<<:` resolved). */
export function readYaml<T = Record<string, unknown>>(...path: string[]): T {
  return parse(readFileSync(join(REPO_ROOT, ...path), 'utf8'), { merge: true }) as T;
}

export interface DashboardTarget {
  refId?: string;
  expr?: string;
  datasource?: { type?: string; uid?: string };
}

export interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { type?: string; uid?: string };
  targets?: DashboardTarget[];
  panels?: DashboardPanel[];
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: DashboardPanel[];
  templating?: { list: Array<{ name: string; type: string; query?: string | { query?: string }; datasource?: { uid?: string } }> };
}

export function readDashboard(file = 'model-service.json'): Dashboard {
  return JSON.parse(readFileSync(join(MONITORING_DIR, 'grafana', 'dashboards', file), 'utf8')) as Dashboard;
}

/** Every panel, rows' nested panels included. */
export function allPanels(d: Dashboard): DashboardPanel[] {
  return d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

/** Every PromQL the dashboard runs: panel targets and query variables, with where each comes from. */
export function dashboardQueries(d: Dashboard): Array<{ where: string; expr: string }> {
  const out: Array<{ where: string; expr: string }> = [];
  for (const p of allPanels(d)) for (const t of p.targets ?? []) out.push({ where: `panel "${p.title}" ${t.refId ?? ''}`.trim(), expr: t.expr ?? '' });
  for (const v of d.templating?.list ?? []) {
    if (v.type !== 'query') continue;
    const q = typeof v.query === 'string' ? v.query : (v.query?.query ?? '');
    out.push({ where: `variable $${v.name}`, expr: q });
  }
  return out;
}

/** PromQL functions and aggregations (and Grafana's label_values) a dashboard may call. */
const FUNCTIONS = new Set([
  'abs', 'absent', 'avg', 'avg_over_time', 'bottomk', 'ceil', 'changes', 'clamp_max', 'clamp_min', 'count', 'count_over_time',
  'delta', 'deriv', 'exp', 'floor', 'group', 'histogram_quantile', 'increase', 'irate', 'label_replace', 'label_values',
  'last_over_time', 'ln', 'log10', 'log2', 'max', 'max_over_time', 'min', 'min_over_time', 'predict_linear', 'quantile',
  'quantile_over_time', 'rate', 'resets', 'round', 'scalar', 'sort', 'sort_desc', 'sqrt', 'stddev', 'sum', 'sum_over_time',
  'time', 'timestamp', 'topk', 'vector',
]);
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan']);

/** One metric a query selects, and the scrape label `app` it is narrowed to (`=` or `=~`), if any. */
export interface MetricSelector {
  metric: string;
  app: { op: '=' | '=~'; value: string } | null;
}

const TOKENS = new RegExp(
  [
    /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/.source, // strings
    /\[[^\]]*\]/.source, // ranges, subqueries
    /\{[^}]*\}/.source, // matchers without a metric name
    /\$\w+/.source, // Grafana variables
    /\d[\w.]*/.source, // numbers, durations
    /([A-Za-z_:][A-Za-z0-9_:]*)(\s*\{[^}]*\})?(\s*\()?/.source, // identifier [matchers] [call]
  ].join('|'),
  'g',
);

/**
 * The metric selectors of a PromQL expression. Strings, ranges, grouping label lists and `$variables` are
 * not metrics; an identifier called like a function must be a known function (a misspelt one fails
 * instead of passing as a metric); Grafana's label_values(metric, label) selects its first argument.
 */
export function promqlSelectors(expr: string): MetricSelector[] {
  const s = expr
    .replace(/\blabel_values\s*\(([^,)]*),[^)]*\)/g, 'label_values($1)')
    // Grouping label lists (`sum by (a, b) (…)`, `on (q) group_left (x)`) name labels, and stand between a function and its `(`.
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const out: MetricSelector[] = [];
  for (const m of s.matchAll(TOKENS)) {
    const [, name, matchers, call] = m;
    if (!name) continue;
    if (call) {
      if (!FUNCTIONS.has(name)) throw new Error(`unknown PromQL function ${name}( in: ${expr}`);
      continue;
    }
    if (KEYWORDS.has(name.toLowerCase())) continue;
    const app = /\bapp\s*(=~|=)\s*"([^"]*)"/.exec(matchers ?? '');
    out.push({ metric: name, app: app ? { op: app[1] as '=' | '=~', value: app[2] } : null });
  }
  return out;
}

export function promqlMetricNames(expr: string): string[] {
  return [...new Set(promqlSelectors(expr).map((x) => x.metric))].sort();
}

/** Whether a selector's app matcher takes in `app` (no matcher: every app). */
export function selectsApp(selector: MetricSelector, app: string): boolean {
  if (!selector.app) return true;
  return selector.app.op === '=' ? selector.app.value === app : new RegExp(`^(?:${selector.app.value})$`).test(app);
}

/**
 * Metrics the dashboard reads from `app` (its selectors narrowed to that app, or to none) that are not in
 * the app's /metrics: empty when every panel of the app can show data.
 */
export function dashboardMetricsMissingFrom(app: string, exposed: Set<string>, d: Dashboard = readDashboard()): string[] {
  return dashboardQueries(d).flatMap(({ where, expr }) =>
    promqlSelectors(expr)
      .filter((x) => !PROMETHEUS_SERIES.has(x.metric) && selectsApp(x, app) && !exposed.has(x.metric))
      .map((x) => `${where}: ${x.metric}`),
  );
}

/** Series names Prometheus stores from a /metrics text: each declared family with its histogram/summary series. */
export function exposedSeriesNames(metricsText: string): Set<string> {
  const out = new Set<string>();
  for (const line of metricsText.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) {
      const [, name, kind] = type;
      out.add(name);
      if (kind === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) out.add(name + suffix);
      if (kind === 'summary') for (const suffix of ['_sum', '_count']) out.add(name + suffix);
      continue;
    }
    const sample = /^([A-Za-z_:][A-Za-z0-9_:]*)[{ ]/.exec(line);
    if (sample) out.add(sample[1]);
  }
  return out;
}

/** Series Prometheus writes itself for every target (not in any /metrics text). */
export const PROMETHEUS_SERIES = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling', 'scrape_series_added']);

export interface ComposeService {
  image?: string;
  profiles?: string[];
  ports?: string[];
  volumes?: Array<string | { source?: string; target?: string }>;
  environment?: Record<string, string>;
  build?: { args?: Record<string, string> };
}

/** The apps of docker-compose.yml (services built with an APP argument) and the port each listens on inside the network. */
export function composeApps(services: Record<string, ComposeService>): Array<{ service: string; app: string; port: number }> {
  return Object.entries(services)
    .filter(([, s]) => s.build?.args?.['APP'])
    .map(([service, s]) => ({ service, app: String(s.build?.args?.['APP']), port: Number(s.environment?.['MODEL_SERVICE_PORT']) }));
}
