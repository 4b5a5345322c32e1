import { GRANULARITIES, MetricTimeSeriesPoint } from '@model-service/repositories';
import { ApiProperty } from '@nestjs/swagger';

import { isoRequired } from '../common/iso';

export class MetricPointDto {
  @ApiProperty({ format: 'date-time', description: 'start of the bucket (UTC)' }) timestamp!: string;
  @ApiProperty() avg!: number;
  @ApiProperty() min!: number;
  @ApiProperty() max!: number;
  @ApiProperty({ description: 'the value measured last in the bucket' }) last!: number;
  @ApiProperty() count!: number;
}

export class MetricSeriesDto {
  @ApiProperty() metric_name!: string;
  @ApiProperty({ type: [MetricPointDto] }) points!: MetricPointDto[];
}

/** One bucket of one metric as the original service listed them (value: the last one measured in the bucket). */
export class MetricDataPointDto {
  @ApiProperty({ format: 'date-time' }) timestamp!: string;
  @ApiProperty() value!: number;
  @ApiProperty() metric_name!: string;
}

export class MetricTimeSeriesDto {
  @ApiProperty() version!: string;
  @ApiProperty() strategy_id!: string;
  @ApiProperty({ enum: GRANULARITIES }) granularity!: string;
  @ApiProperty({ format: 'date-time' }) start_time!: string;
  @ApiProperty({ format: 'date-time' }) end_time!: string;
  @ApiProperty({ type: [MetricSeriesDto], description: 'one series per metric name, buckets ascending; empty buckets are omitted' })
  series!: MetricSeriesDto[];
  @ApiProperty({ description: 'the original service\'s name of version' }) model_version!: string;
  @ApiProperty({ type: [MetricDataPointDto], description: 'every bucket of every metric, flat, as the original answered' })
  data_points!: MetricDataPointDto[];
}

/** Rows ordered by bucket then name -> one series per name, each ordered by bucket. */
export function groupMetricSeries(points: MetricTimeSeriesPoint[]): MetricSeriesDto[] {
  const byName = new Map<string, MetricPointDto[]>();
  for (const p of points) {
    let list = byName.get(p.metricName);
    if (!list) byName.set(p.metricName, (list = []));
    list.push({ timestamp: isoRequired(p.bucket), avg: p.avg, min: p.min, max: p.max, last: p.last, count: p.count });
  }
  return [...byName.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([metric_name, pts]) => ({ metric_name, points: pts }));
}
