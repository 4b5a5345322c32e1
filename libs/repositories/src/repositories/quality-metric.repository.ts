import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { asQueryPartial } from '../database/query-partial';
import { parseCount } from '../database/numeric.transformer';
import { assertGranularity, Granularity, SqlParams } from '../database/sql-params';
import { QualityMetricEntity } from '../entities/quality-metric.entity';
import { TableRepository } from './table.repository';

export interface NewQualityMetric {
  modelVersionId: string;
  strategyId: string;
  metricName: string;
  metricValue: number;
  /** 'classification' | 'trading_performance' | 'baseline' | 'live' (free text; the original's names). */
  metricType: string;
  evaluatedAt?: Date;
  datasetSize?: number | null;
  metadata?: Record<string, unknown>;
}

export interface QualityMetricFilters {
  metricType?: string;
  metricName?: string;
}

export interface MetricTimeSeriesQuery {
  granularity: Granularity;
  start: Date;
  /** Exclusive. */
  end: Date;
  /** Only these metric names (all when omitted or empty). */
  metricNames?: string[];
}

export interface MetricTimeSeriesPoint {
  /** Start of the bucket (UTC). */
  bucket: Date;
  metricName: string;
  avg: number;
  min: number;
  max: number;
  /** The value measured last in the bucket. */
  last: number;
  count: number;
}

@Injectable()
export class QualityMetricRepository extends TableRepository<QualityMetricEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, QualityMetricEntity);
  }

  /** Inserts every metric in one statement; returns how many were stored. */
  async insertMany(metrics: NewQualityMetric[]): Promise<number> {
    if (metrics.length === 0) return 0;
    const rows = metrics.map((m) =>
      this.repo.create({ datasetSize: null, metadata: {}, ...m, evaluatedAt: m.evaluatedAt ?? new Date() }),
    );
    await this.repo.insert(rows.map((r) => asQueryPartial<QualityMetricEntity>(r)));
    return rows.length;
  }

  /** A version's metrics, newest first, optionally filtered by type and name. */
  forVersion(modelVersionId: string, filters: QualityMetricFilters = {}): Promise<QualityMetricEntity[]> {
    return this.repo.find({
      where: {
        modelVersionId,
        ...(filters.metricType !== undefined ? { metricType: filters.metricType } : {}),
        ...(filters.metricName !== undefined ? { metricName: filters.metricName } : {}),
      },
      order: { evaluatedAt: 'DESC', metricName: 'ASC' },
    });
  }

  /** The most recent value of each (metric_type, metric_name) of a version. */
  latestForVersion(modelVersionId: string): Promise<QualityMetricEntity[]> {
    return this.repo
      .createQueryBuilder('m')
      .distinctOn(['m.metric_type', 'm.metric_name'])
      .where('m.model_version_id = :modelVersionId', { modelVersionId })
      .orderBy('m.metric_type', 'ASC')
      .addOrderBy('m.metric_name', 'ASC')
      .addOrderBy('m.evaluated_at', 'DESC')
      .getMany();
  }

  /** Bucketed (UTC) aggregates of a version's metrics, computed in SQL, ordered by bucket then name. */
  async timeSeries(modelVersionId: string, query: MetricTimeSeriesQuery): Promise<MetricTimeSeriesPoint[]> {
    assertGranularity(query.granularity);
    const p = new SqlParams();
    const granularity = p.add(query.granularity);
    let sql = `
      SELECT date_trunc(${granularity}, evaluated_at, 'UTC') AS bucket,
             metric_name,
             avg(metric_value) AS avg_value,
             min(metric_value) AS min_value,
             max(metric_value) AS max_value,
             (array_agg(metric_value ORDER BY evaluated_at DESC))[1] AS last_value,
             count(*) AS n
        FROM model_quality_metrics
       WHERE model_version_id = ${p.add(modelVersionId)}
         AND evaluated_at >= ${p.add(query.start)}
         AND evaluated_at < ${p.add(query.end)}`;
    if (query.metricNames && query.metricNames.length > 0) {
      sql += ` AND metric_name = ANY(${p.add(query.metricNames)}::text[])`;
    }
    sql += ' GROUP BY 1, 2 ORDER BY 1, 2';
    const rows: Array<{
      bucket: Date;
      metric_name: string;
      avg_value: number;
      min_value: number;
      max_value: number;
      last_value: number;
      n: string;
    }> = await this.dataSource.query(sql, p.values);
    return rows.map((r) => ({
      bucket: r.bucket,
      metricName: r.metric_name,
      avg: r.avg_value,
      min: r.min_value,
      max: r.max_value,
      last: r.last_value,
      count: parseCount(r.n),
    }));
  }
}
