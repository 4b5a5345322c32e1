import { Controller, Get, Header } from '@nestjs/common';

import { MetricsRegistry } from './metrics.registry';

/** GET /metrics alone (Prometheus text), for apps whose /health comes from PublicHealthController. */
@Controller()
export class MetricsController {
  constructor(private readonly metrics: MetricsRegistry) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  getMetrics(): Promise<string> {
    return this.metrics.text();
  }
}
