import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';

import { defineMetrics, metric, MetricSet } from './metric-set';
import { MetricsRegistry } from './metrics.registry';

const TABLE = {
  jobs: metric.counter('jobs_total', 'Jobs done', ['kind']),
  busy: metric.gauge('busy', 'Workers busy'),
  seconds: metric.histogram('job_seconds', 'Job time', [], [0.1, 1]),
};

@Injectable()
class JobMetrics extends MetricSet(TABLE) {
  done(kind: string): void {
    this.jobs.inc({ kind });
  }
}

describe('metrics tables', () => {
  it('defineMetrics registers each entry under its key, with its name, help, labels and buckets, in table order', async () => {
    const registry = new MetricsRegistry();
    const m = defineMetrics(registry, TABLE);
    m.jobs.inc({ kind: 'a' });
    m.busy.set(3);
    m.seconds.observe(0.5);
    const text = await registry.text();
    expect(text).toContain('# HELP model_service_jobs_total Jobs done');
    expect(text).toContain('model_service_jobs_total{kind="a"} 1');
    expect(text).toContain('model_service_busy 3');
    expect(text).toContain('model_service_job_seconds_bucket{le="1"} 1');
    const order = ['model_service_jobs_total', 'model_service_busy', 'model_service_job_seconds'].map((name) => text.indexOf(`# HELP ${name} `));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('a MetricSet subclass carries the metrics as fields and is built by Nest with the registry', async () => {
    const moduleRef = await Test.createTestingModule({ providers: [MetricsRegistry, JobMetrics] }).compile();
    const metrics = moduleRef.get(JobMetrics);
    metrics.done('b');
    expect(await moduleRef.get(MetricsRegistry).text()).toContain('model_service_jobs_total{kind="b"} 1');
    expect(metrics.busy).toBe(moduleRef.get(MetricsRegistry).gauge('busy', 'Workers busy'));
  });
});
