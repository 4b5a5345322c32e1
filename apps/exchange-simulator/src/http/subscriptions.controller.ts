import { Body, Controller, Get, Headers, HttpCode, Inject, Post, UnprocessableEntityException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

import { SIMULATOR_SETTINGS, SimulatorSettings } from '../config/simulator-settings';
import { MarketBook } from '../market/market-book';
import { requireApiKey } from './api-key';

const CHANNELS = ['ticker', 'orderbook', 'kline', 'trades'] as const;

export interface Subscription {
  subscription_id: string;
  channel_type: string;
  symbol: string;
  topic: string;
  requesting_service: string | null;
  status: 'active';
  created_at: string;
}

function field(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/**
 * ws-gateway's subscription API: `POST /api/v1/subscriptions` with X-API-Key (WS_GATEWAY_API_KEY) and
 * `{ channel_type, symbol, topic?, interval?, depth?, requesting_service? }`. The simulator publishes
 * every channel of every simulated asset anyway; a subscription is recorded (201, or 200 with the
 * existing one for the same topic) and refused (422) for a symbol it does not simulate.
 */
@Controller('api/v1/subscriptions')
export class SubscriptionsController {
  private readonly byTopic = new Map<string, Subscription>();

  constructor(
    @Inject(SIMULATOR_SETTINGS) private readonly settings: SimulatorSettings,
    private readonly market: MarketBook,
  ) {}

  @Post()
  @HttpCode(201)
  subscribe(@Headers('x-api-key') key: string | undefined, @Body() body: unknown): Subscription {
    requireApiKey(key, this.settings.subscriptionsApiKey);
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const channel = field(b, 'channel_type');
    const symbol = field(b, 'symbol');
    const problems: string[] = [];
    if (!channel || !(CHANNELS as readonly string[]).includes(channel)) problems.push(`channel_type must be one of ${CHANNELS.join(', ')}`);
    if (!symbol || !/^[A-Z0-9]{2,20}$/.test(symbol)) problems.push('symbol must be an upper-case symbol like BTCUSDT');
    else if (!this.market.trades(symbol)) problems.push(`symbol ${symbol} is not simulated (simulated: ${this.market.assets.join(', ')})`);
    if (problems.length > 0) throw new UnprocessableEntityException({ error: 'invalid_subscription', problems });
    const depth = typeof b['depth'] === 'number' ? b['depth'] : 50;
    const interval = field(b, 'interval') ?? '1';
    const topic =
      field(b, 'topic') ?? (channel === 'ticker' ? `tickers.${symbol}` : channel === 'orderbook' ? `orderbook.${depth}.${symbol}` : channel === 'kline' ? `kline.${interval}.${symbol}` : `publicTrade.${symbol}`);
    const existing = this.byTopic.get(topic);
    if (existing) return existing;
    const sub: Subscription = {
      subscription_id: randomUUID(),
      channel_type: channel as string,
      symbol: symbol as string,
      topic,
      requesting_service: field(b, 'requesting_service') ?? null,
      status: 'active',
      created_at: new Date().toISOString(),
    };
    this.byTopic.set(topic, sub);
    return sub;
  }

  @Get()
  list(@Headers('x-api-key') key: string | undefined): { subscriptions: Subscription[] } {
    requireApiKey(key, this.settings.subscriptionsApiKey);
    return { subscriptions: [...this.byTopic.values()] };
  }
}
