import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';

import { PublicHealth } from './public-health';

/**
 * /health for a port exposed to untrusted callers, in the original service's shape:
 * GET /health and /health/ready answer 200 "healthy" or 503 "unhealthy" with each dependency as a
 * word; /health/live answers 200 while the process serves HTTP. Cached for a second, no error text.
 */
@Controller('health')
export class PublicHealthController {
  constructor(private readonly health: PublicHealth) {}

  @Get()
  async getHealth(@Res() res: Response): Promise<void> {
    await this.ready(res);
  }

  @Get('ready')
  async ready(@Res() res: Response): Promise<void> {
    const report = await this.health.report();
    res.status(report.status === 'healthy' ? 200 : 503).json(report);
  }

  @Get('live')
  live(): { status: 'healthy'; timestamp: string } {
    return { status: 'healthy', timestamp: new Date().toISOString() };
  }
}
