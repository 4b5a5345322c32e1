import { Logger, MetricsRegistry, newTraceId, runWithTrace } from '@model-service/util';
import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';

import { ApiRequest, TRACE_HEADER, VALID_TRACE_ID } from './api-request';

const QUIET_PATHS = new Set(['/health', '/metrics']);

/**
 * Gives every request a trace id (the caller's X-Trace-Id when valid, else a new one), returns it in the
 * X-Trace-Id response header, runs the rest of the request inside it (so log lines, commands and events
 * carry it), and logs and measures each response.
 */
@Injectable()
export class TraceMiddleware implements NestMiddleware {
  private readonly log = new Logger('http');
  private readonly requests;
  private readonly duration;

  constructor(metrics: MetricsRegistry) {
    this.requests = metrics.counter('http_requests_total', 'HTTP requests answered, by route and status', ['method', 'route', 'status']);
    this.duration = metrics.histogram(
      'http_request_duration_seconds',
      'HTTP request duration in seconds, by route',
      ['method', 'route'],
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    );
  }

  use(req: ApiRequest, res: Response, next: NextFunction): void {
    const incoming = req.header(TRACE_HEADER);
    const traceId = incoming !== undefined && VALID_TRACE_ID.test(incoming) ? incoming : newTraceId();
    res.setHeader(TRACE_HEADER, traceId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeOf(req);
      this.requests.inc({ method: req.method, route, status: String(res.statusCode) });
      this.duration.observe({ method: req.method, route }, seconds);
      const fields = {
        trace_id: traceId,
        method: req.method,
        path: req.originalUrl,
        route,
        status: res.statusCode,
        duration_ms: Math.round(seconds * 1e6) / 1e3,
        api_key_id: req.apiKeyId,
        response_bytes: Number(res.getHeader('content-length') ?? 0) || undefined,
      };
      if (res.statusCode >= 500) this.log.error('request answered', fields);
      else if (QUIET_PATHS.has(req.path)) this.log.debug('request answered', fields);
      else this.log.info('request answered', fields);
    });
    runWithTrace(traceId, () => next());
  }
}

/** The matched route pattern (low-cardinality metric label), or "unmatched". */
function routeOf(req: ApiRequest): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : 'unmatched';
}
