import { existsSync } from 'node:fs';
import { join } from 'node:path';

import {
  allPanels,
  composeApps,
  ComposeService,
  dashboardMetricsMissingFrom,
  dashboardQueries,
  exposedSeriesNames,
  MONITORING_DIR,
  PROMETHEUS_SERIES,
  promqlMetricNames,
  promqlSelectors,
  readDashboard,
  readYaml,
  REPO_ROOT,
} from './monitoring-config.testing';

interface Compose {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
}
interface PrometheusConfig {
  scrape_configs: Array<{ job_name: string; metrics_path?: string; static_configs: Array<{ targets: string[]; labels?: Record<string, string> }> }>;
}
interface DatasourceProvisioning {
  apiVersion: number;
  datasources: Array<{ name: string; uid: string; type: string; url: string; access: string; isDefault?: boolean }>;
}
interface DashboardProvisioning {
  apiVersion: number;
  providers: Array<{ name: string; type: string; options: { path: string } }>;
}

const compose = readYaml<Compose>('docker-compose.yml');
const prometheus = readYaml<PrometheusConfig>('docker', 'monitoring', 'prometheus', 'prometheus.yml');
const datasources = readYaml<DatasourceProvisioning>('docker', 'monitoring', 'grafana', 'provisioning', 'datasources', 'prometheus.yml');
const dashboards = readYaml<DashboardProvisioning>('docker', 'monitoring', 'grafana', 'provisioning', 'dashboards', 'model-service.yml');
const dashboard = readDashboard();

/** `./host/path:/container/path[:ro]` mounts of a service, as [host, container]. */
function bindMounts(service: ComposeService): Array<[string, string]> {
  return (service.volumes ?? []).filter((v): v is string => typeof v === 'string' && v.startsWith('./')).map((v) => v.split(':').slice(0, 2) as [string, string]);
}

describe('promqlMetricNames', () => {
  it.each([
    ['rate(model_service_x_total[5m])', ['model_service_x_total']],
    ['sum by (strategy_id, mode) (rate(model_service_a_total{strategy_id=~"$strategy", mode!="x y"}[$__rate_interval])) * 60', ['model_service_a_total']],
    ['histogram_quantile(0.95, sum by (le) (rate(model_service_h_seconds_bucket[5m])))', ['model_service_h_seconds_bucket']],
    ['max by (queue) (model_service_q) / on (queue) group_left (app) model_service_r offset 5m', ['model_service_q', 'model_service_r']],
    ['up{job="model-service"} == 1 and model_service_b', ['model_service_b', 'up']],
    ['label_values(model_service_c_total, strategy_id)', ['model_service_c_total']],
    ['sum(rate(model_service_d_total[1h])) > 1e3', ['model_service_d_total']],
  ])('%s', (expr, names) => {
    expect(promqlMetricNames(expr)).toEqual(names);
  });

  it('keeps the app each selector is narrowed to, exact or by regex', () => {
    expect(promqlSelectors('sum(rate(model_service_a{app="trainer", x="1"}[5m])) / model_service_b{app=~"trainer|exit-strategy"} + model_service_c')).toEqual([
      { metric: 'model_service_a', app: { op: '=', value: 'trainer' } },
      { metric: 'model_service_b', app: { op: '=~', value: 'trainer|exit-strategy' } },
      { metric: 'model_service_c', app: null },
    ]);
  });

  it('refuses an unknown function instead of taking it for a metric', () => {
    expect(() => promqlMetricNames('rat(model_service_x_total[5m])')).toThrow('unknown PromQL function rat(');
  });
});

describe('exposedSeriesNames', () => {
  it('names each family, the series of a histogram, and bare samples', () => {
    const text = [
      '# HELP model_service_h_seconds Time',
      '# TYPE model_service_h_seconds histogram',
      'model_service_h_seconds_bucket{le="0.1"} 1',
      '# TYPE model_service_c_total counter',
      'model_service_g 3',
    ].join('\n');
    expect([...exposedSeriesNames(text)].sort()).toEqual([
      'model_service_c_total',
      'model_service_g',
      'model_service_h_seconds',
      'model_service_h_seconds_bucket',
      'model_service_h_seconds_count',
      'model_service_h_seconds_sum',
    ]);
  });
});

describe('dashboardMetricsMissingFrom', () => {
  const d = {
    uid: 'x',
    title: 'x',
    panels: [{ id: 1, type: 'timeseries', title: 'P', gridPos: { h: 1, w: 1, x: 0, y: 0 }, targets: [{ refId: 'A', expr: 'rate(model_service_a_total{app="trainer"}[5m]) + model_service_mem + up' }] }],
  };

  it('names what the panels read from an app that its /metrics lacks; metrics of other apps and Prometheus series are not asked for', () => {
    expect(dashboardMetricsMissingFrom('trainer', new Set(['model_service_mem']), d)).toEqual(['panel "P" A: model_service_a_total']);
    expect(dashboardMetricsMissingFrom('trainer', new Set(['model_service_mem', 'model_service_a_total']), d)).toEqual([]);
    expect(dashboardMetricsMissingFrom('api-gateway', new Set(), d)).toEqual(['panel "P" A: model_service_mem']);
  });
});

describe('the monitoring compose profile', () => {
  it.each(['prometheus', 'grafana'])('%s: in the monitoring profile, image pinned to a version, port bound to PUBLISH_IP, its files present', (name) => {
    const s = compose.services[name];
    expect(s).toBeDefined();
    expect(s.profiles).toEqual(['monitoring']);
    expect(s.image).toMatch(/^[\w./-]+:v?\d+\.\d+\.\d+$/);
    expect(s.ports?.length).toBeGreaterThan(0);
    for (const p of s.ports ?? []) expect(p).toMatch(/^\$\{PUBLISH_IP:-127\.0\.0\.1\}:\$\{[A-Z_]+_HOST_PORT:-\d+\}:\d+$/);
    for (const [host] of bindMounts(s)) expect(existsSync(join(REPO_ROOT, host))).toBe(true);
    for (const v of s.volumes ?? []) if (typeof v === 'string' && !v.startsWith('./')) expect(compose.volumes).toHaveProperty(v.split(':')[0]);
  });

  it("Prometheus scrapes /metrics of every app compose runs, by its service name and port, and nothing else", () => {
    const apps = composeApps(compose.services);
    expect(apps.map((a) => a.app).sort()).toEqual(['api-gateway', 'exchange-simulator', 'exit-strategy', 'signal-generator', 'trainer']);
    const targets = prometheus.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets.map((t) => ({ target: t, app: s.labels?.['app'], path: c.metrics_path ?? '/metrics' }))));
    expect(targets.map((t) => t.target).sort()).toEqual(apps.map((a) => `${a.service}:${a.port}`).sort());
    for (const t of targets) expect(t).toMatchObject({ path: '/metrics', app: apps.find((a) => t.target.startsWith(`${a.service}:`))?.app });
  });

  it('Grafana gets the Prometheus service as its datasource and loads the dashboard directory compose mounts', () => {
    expect(datasources.apiVersion).toBe(1);
    expect(datasources.datasources).toHaveLength(1);
    const [ds] = datasources.datasources;
    expect(ds).toMatchObject({ type: 'prometheus', access: 'proxy', isDefault: true });
    const promPort = Number(compose.services['prometheus'].ports?.[0].split(':').pop());
    expect(ds.url).toBe(`http://prometheus:${promPort}`);

    expect(dashboards.apiVersion).toBe(1);
    const [provider] = dashboards.providers;
    expect(provider.type).toBe('file');
    const mounts = bindMounts(compose.services['grafana']);
    const dashboardMount = mounts.find(([, container]) => container === provider.options.path);
    expect(dashboardMount?.[0]).toBe('./docker/monitoring/grafana/dashboards');
    expect(mounts.find(([host]) => host === './docker/monitoring/grafana/provisioning')?.[1]).toBe('/etc/grafana/provisioning');
    expect(existsSync(join(MONITORING_DIR, 'grafana', 'dashboards', 'model-service.json'))).toBe(true);
  });
});

describe('the Grafana dashboard JSON', () => {
  const panels = allPanels(dashboard).filter((p) => p.type !== 'row');
  const [ds] = datasources.datasources;

  it('is a dashboard with a uid, unique panel ids, every panel inside the 24-column grid and on the provisioned datasource', () => {
    expect(dashboard.uid).toMatch(/^[\w-]{1,40}$/);
    const ids = allPanels(dashboard).map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of panels) {
      expect({ title: p.title, fits: p.gridPos.x >= 0 && p.gridPos.w > 0 && p.gridPos.x + p.gridPos.w <= 24 && p.gridPos.h > 0 }).toEqual({ title: p.title, fits: true });
      expect({ title: p.title, uid: p.datasource?.uid }).toEqual({ title: p.title, uid: ds.uid });
      expect(p.targets?.length).toBeGreaterThan(0);
      for (const t of p.targets ?? []) expect({ title: p.title, expr: Boolean(t.expr?.trim()), uid: t.datasource?.uid ?? ds.uid }).toEqual({ title: p.title, expr: true, uid: ds.uid });
    }
  });

  it('names for every metric the apps it comes from (the scrape label app), each one Prometheus scrapes', () => {
    const scraped = new Set(prometheus.scrape_configs.flatMap((c) => c.static_configs.map((s) => s.labels?.['app'])));
    for (const { where, expr } of dashboardQueries(dashboard)) {
      for (const x of promqlSelectors(expr)) {
        if (PROMETHEUS_SERIES.has(x.metric) || !x.app) continue; // no app: every app's /metrics must have it (process metrics)
        const apps = x.app.op === '=' ? [x.app.value] : x.app.value.split('|');
        expect({ where, apps: apps.filter((a) => !scraped.has(a)) }).toEqual({ where, apps: [] });
      }
    }
  });

  it('uses only variables it defines (or Grafana built-ins)', () => {
    const defined = new Set((dashboard.templating?.list ?? []).map((v) => v.name));
    for (const { where, expr } of dashboardQueries(dashboard)) {
      for (const [, name] of expr.matchAll(/\$(\w+)/g)) if (!name.startsWith('__')) expect({ where, name, defined: defined.has(name) }).toEqual({ where, name, defined: true });
    }
  });

  it('shows signals, latency histograms, dead-letter queue depths and training', () => {
    const names = new Set(dashboardQueries(dashboard).flatMap((q) => promqlMetricNames(q.expr)));
    expect(names).toContain('model_service_signals_published_total');
    expect(names).toContain('model_service_dead_letter_queue_messages');
    expect(names).toContain('model_service_trainer_training_epoch');
    expect([...names].filter((n) => n.endsWith('_bucket')).length).toBeGreaterThanOrEqual(4);
  });
});
