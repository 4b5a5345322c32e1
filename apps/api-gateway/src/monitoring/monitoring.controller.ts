import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { ApiProtected } from '../http/api-docs.decorators';
import { ModelsPerformanceDto, ModelsPerformanceQuery, MonitoringHealthDto } from './monitoring.dto';
import { MonitoringService } from './monitoring.service';

@ApiTags('monitoring')
@ApiProtected()
@Controller('api/v1/monitoring')
export class MonitoringController {
  constructor(private readonly monitoring: MonitoringService) {}

  @Get('models/performance')
  @ApiOperation({ summary: 'Performance of every active model over a window (default: the last 24 h)' })
  @ApiOkResponse({ type: ModelsPerformanceDto })
  modelsPerformance(@Query() query: ModelsPerformanceQuery): Promise<ModelsPerformanceDto> {
    return this.monitoring.modelsPerformance(query);
  }

  @Get('health')
  @ApiOperation({ summary: 'Dependency checks plus models, training and signal flow at a glance' })
  @ApiOkResponse({ type: MonitoringHealthDto })
  health(): Promise<MonitoringHealthDto> {
    return this.monitoring.health();
  }
}
