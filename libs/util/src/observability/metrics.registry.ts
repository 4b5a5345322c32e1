import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Sets a sampled gauge's label values; called while /metrics is being answered. */
export type GaugeSource = (gauge: Gauge<string>) => Promise<void>;

/** A gauge read from elsewhere (e.g. the broker) at scrape time, by any number of sources. */
export interface SampledGauge {
  gauge: Gauge<string>;
  /** Adds a source; returns its removal (call it when the source's owner stops). */
  addSource(source: GaugeSource): () => void;
}

/** One prom-client registry per process; metric names are prefixed with model_service_. */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();
  private readonly counters = new Map<string, Counter<string>>();
  private readonly gauges = new Map<string, Gauge<string>>();
  private readonly histograms = new Map<string, Histogram<string>>();
  private readonly sampled = new Map<string, SampledGauge>();

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'model_service_' });
  }

  counter(name: string, help: string, labelNames: string[] = []): Counter<string> {
    return once(this.counters, name, () => new Counter({ name: `model_service_${name}`, help, labelNames, registers: [this.registry] }));
  }

  gauge(name: string, help: string, labelNames: string[] = []): Gauge<string> {
    return once(this.gauges, name, () => new Gauge({ name: `model_service_${name}`, help, labelNames, registers: [this.registry] }));
  }

  /**
   * A gauge whose values are sampled when /metrics is scraped, each source bounded by timeoutMs so that an
   * unreachable dependency slows no scrape; a source that fails or times out leaves its values as they were
   * set last (the source removes what it cannot vouch for).
   */
  sampledGauge(name: string, help: string, labelNames: string[] = [], timeoutMs = 2_000): SampledGauge {
    return once(this.sampled, name, () => {
      const sources = new Set<GaugeSource>();
      const gauge: Gauge<string> = new Gauge({
        name: `model_service_${name}`,
        help,
        labelNames,
        registers: [this.registry],
        collect: async () => {
          await Promise.all([...sources].map((source) => withTimeout(source(gauge), timeoutMs).catch(() => undefined)));
        },
      });
      return {
        gauge,
        addSource: (source) => {
          sources.add(source);
          return () => void sources.delete(source);
        },
      };
    });
  }

  histogram(name: string, help: string, labelNames: string[] = [], buckets?: number[]): Histogram<string> {
    return once(this.histograms, name, () => new Histogram({ name: `model_service_${name}`, help, labelNames, buckets, registers: [this.registry] }));
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}

/** The metric made under `name` before, else a new one from `make`, kept for the next call. */
function once<M>(made: Map<string, M>, name: string, make: () => M): M {
  let metric = made.get(name);
  if (!metric) {
    metric = make();
    made.set(name, metric);
  }
  return metric;
}

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<void>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
