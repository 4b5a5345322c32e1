import { Injectable } from '@nestjs/common';
import type { Counter, Gauge, Histogram } from 'prom-client';

import { MetricsRegistry } from './metrics.registry';

/** How one metric is registered: a counter, gauge or histogram of the registry (name without model_service_). */
export type MetricDefinition<M = unknown> = (registry: MetricsRegistry) => M;

/** The metrics a table of definitions registers, under the table's keys. */
export type MetricsOf<T extends Record<string, MetricDefinition>> = { readonly [K in keyof T]: ReturnType<T[K]> };

/** The entries of a metrics table. */
export const metric = {
  counter: (name: string, help: string, labelNames?: string[]): MetricDefinition<Counter<string>> => (registry) => registry.counter(name, help, labelNames),
  gauge: (name: string, help: string, labelNames?: string[]): MetricDefinition<Gauge<string>> => (registry) => registry.gauge(name, help, labelNames),
  histogram: (name: string, help: string, labelNames?: string[], buckets?: number[]): MetricDefinition<Histogram<string>> => (registry) =>
    registry.histogram(name, help, labelNames, buckets),
};

/** Registers every metric of `definitions`, in the table's order, and returns them under the same keys. */
export function defineMetrics<T extends Record<string, MetricDefinition>>(registry: MetricsRegistry, definitions: T): MetricsOf<T> {
  const metrics: Record<string, unknown> = {};
  for (const [key, define] of Object.entries(definitions)) metrics[key] = define(registry);
  return metrics as MetricsOf<T>;
}

/**
 * A base class for a service's metrics provider: its instances carry the metrics of `definitions` (registered
 * in the table's order) as readonly fields under the table's keys. The subclass adds what it records with them.
 */
export function MetricSet<T extends Record<string, MetricDefinition>>(definitions: T): new (registry: MetricsRegistry) => MetricsOf<T> {
  @Injectable()
  class Metrics {
    constructor(registry: MetricsRegistry) {
      Object.assign(this, defineMetrics(registry, definitions));
    }
  }
  return Metrics as new (registry: MetricsRegistry) => MetricsOf<T>;
}
