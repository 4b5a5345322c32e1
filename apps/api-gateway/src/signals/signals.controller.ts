import { TradingSignalRepository } from '@model-service/repositories';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { ApiProtected } from '../http/api-docs.decorators';
import { ListSignalsQuery } from './list-signals.query';
import { presentSignal, SignalPageDto } from './signal.dto';

@ApiTags('signals')
@ApiProtected()
@Controller('api/v1/signals')
export class SignalsController {
  constructor(private readonly signals: TradingSignalRepository) {}

  @Get()
  @ApiOperation({ summary: 'Published trading signals, newest first' })
  @ApiOkResponse({ type: SignalPageDto })
  async list(@Query() q: ListSignalsQuery): Promise<SignalPageDto> {
    const page = await this.signals.list(
      {
        strategyId: q.strategy_id,
        asset: q.asset,
        signalType: q.signal_type,
        isWarmup: q.is_warmup,
        startTime: q.start_time,
        endTime: q.end_time,
      },
      q.limit,
      q.offset,
    );
    return { ...page, items: page.items.map(presentSignal) };
  }
}
