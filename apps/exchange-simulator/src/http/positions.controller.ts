import { splitPair } from '@model-service/neighbours';
import { Controller, Get, Headers, Inject, NotFoundException, Param } from '@nestjs/common';

import { SIMULATOR_SETTINGS, SimulatorSettings } from '../config/simulator-settings';
import { SimClock } from '../market/sim-clock';
import { positionView } from '../trading/event-builders';
import { Ledger } from '../trading/ledger';
import { PositionFeed } from '../trading/position-feed';
import { requireApiKey } from './api-key';

/**
 * position-manager's read API with X-API-Key (POSITION_MANAGER_API_KEY): the open positions of an
 * asset (one per strategy) in the PositionUpdateEvent's fields plus `position_size_norm` = position
 * value / account equity (quote balance + open positions at their current prices); 404 when flat.
 */
@Controller('api/v1')
export class PositionsController {
  constructor(
    @Inject(SIMULATOR_SETTINGS) private readonly settings: SimulatorSettings,
    private readonly ledger: Ledger,
    private readonly feed: PositionFeed,
    private readonly clock: SimClock,
  ) {}

  @Get('positions')
  all(@Headers('x-api-key') key: string | undefined): { positions: Record<string, unknown>[] } {
    requireApiKey(key, this.settings.positionsApiKey);
    return { positions: this.views() };
  }

  @Get('positions/:asset')
  one(@Headers('x-api-key') key: string | undefined, @Param('asset') asset: string): { asset: string; positions: Record<string, unknown>[] } {
    requireApiKey(key, this.settings.positionsApiKey);
    const positions = this.views(asset.toUpperCase());
    if (positions.length === 0) throw new NotFoundException({ error: 'not_found', message: `no open position in ${asset}` });
    return { asset: asset.toUpperCase(), positions };
  }

  @Get('balances')
  balances(@Headers('x-api-key') key: string | undefined): { balances: Array<{ coin: string; wallet_balance: number; available_balance: number }> } {
    requireApiKey(key, this.settings.positionsApiKey);
    return { balances: this.ledger.allBalances().map((b) => ({ coin: b.coin, wallet_balance: b.balance, available_balance: b.balance })) };
  }

  private views(asset?: string): Record<string, unknown>[] {
    const now = this.clock.now();
    return this.ledger
      .openPositions(asset)
      .filter((p) => this.feed.rowIdOf(p) !== undefined)
      .map((p) => positionView(this.feed.rowIdOf(p) as string, p, now, this.ledger.equity(splitPair(p.asset)?.quote ?? 'USDT')));
  }
}
