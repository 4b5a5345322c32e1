import { TradingSignalRepository } from '@model-service/repositories';
import { Query } from '@nestjs/common';

import { ApiV1Controller, DocumentedGet } from '../http/api-docs.decorators';
import { ListSignalsQuery } from './list-signals.query';
import { presentSignal, SignalPageDto } from './signal.dto';

@ApiV1Controller('signals')
export class SignalsController {
  constructor(private readonly signals: TradingSignalRepository) {}

  @DocumentedGet('', SignalPageDto, 'Published trading signals, newest first')
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
