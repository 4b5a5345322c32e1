import { TradingSignalEntity } from '@model-service/repositories';
import { SIGNAL_TYPES } from '@model-service/signals';
import { ApiProperty } from '@nestjs/swagger';

import { iso, isoRequired } from '../common/iso';

export class SignalDto {
  @ApiProperty({ format: 'uuid' }) signal_id!: string;
  @ApiProperty({ enum: SIGNAL_TYPES }) signal_type!: string;
  @ApiProperty({ example: 'BTCUSDT' }) asset!: string;
  @ApiProperty({ description: 'quote-currency amount' }) amount!: number;
  @ApiProperty({ minimum: 0, maximum: 1 }) confidence!: number;
  @ApiProperty({ format: 'date-time' }) timestamp!: string;
  @ApiProperty() strategy_id!: string;
  @ApiProperty({ nullable: true, type: String }) model_version!: string | null;
  @ApiProperty() is_warmup!: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true }) market_data_snapshot!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata!: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) trace_id!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) published_at!: string | null;
}

export class SignalPageDto {
  @ApiProperty({ type: [SignalDto] }) items!: SignalDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export function presentSignal(s: TradingSignalEntity): SignalDto {
  return {
    signal_id: s.signalId,
    signal_type: s.signalType,
    asset: s.asset,
    amount: s.amount,
    confidence: s.confidence,
    timestamp: isoRequired(s.timestamp),
    strategy_id: s.strategyId,
    model_version: s.modelVersion,
    is_warmup: s.isWarmup,
    market_data_snapshot: s.marketDataSnapshot,
    metadata: s.metadata,
    trace_id: s.traceId,
    published_at: iso(s.publishedAt),
  };
}
