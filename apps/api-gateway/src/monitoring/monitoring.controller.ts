import { Query } from '@nestjs/common';

import { ApiV1Controller, DocumentedGet } from '../http/api-docs.decorators';
import { ModelsPerformanceDto, ModelsPerformanceQuery, MonitoringHealthDto } from './monitoring.dto';
import { MonitoringService } from './monitoring.service';

@ApiV1Controller('monitoring')
export class MonitoringController {
  constructor(private readonly monitoring: MonitoringService) {}

  @DocumentedGet('models/performance', ModelsPerformanceDto, 'Performance of every active model over a window (default: the last 24 h)')
  modelsPerformance(@Query() query: ModelsPerformanceQuery): Promise<ModelsPerformanceDto> {
    return this.monitoring.modelsPerformance(query);
  }

  @DocumentedGet('health', MonitoringHealthDto, 'Dependency checks plus models, training and signal flow at a glance')
  health(): Promise<MonitoringHealthDto> {
    return this.monitoring.health();
  }
}
