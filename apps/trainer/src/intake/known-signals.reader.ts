import { TradingSignalEntity } from '@model-service/repositories';
import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';

import type { SignalFacts } from './partial-fill';

/**
 * Read-only lookup of the signals behind a batch of executions (one indexed query per batch).
 * App-local because only the intake needs it; it uses TypeORM's query API, no SQL strings.
 */
@Injectable()
export class KnownSignalsReader {
  constructor(private readonly dataSource: DataSource) {}

  async facts(signalIds: readonly string[]): Promise<Map<string, SignalFacts>> {
    const out = new Map<string, SignalFacts>();
    const ids = [...new Set(signalIds)];
    if (ids.length === 0) return out;
    const rows = await this.dataSource.getRepository(TradingSignalEntity).find({
      select: { signalId: true, amount: true, marketDataSnapshot: true },
      where: { signalId: In(ids) },
    });
    for (const r of rows) {
      const price = Number((r.marketDataSnapshot as { price?: unknown })?.price);
      out.set(r.signalId, { amount: r.amount, price: Number.isFinite(price) && price > 0 ? price : null });
    }
    return out;
  }
}
