import { ConsumerHost, Publisher } from '@model-service/messaging';
import { TradingSignal } from '@model-service/signals';
import { HealthRegistry, Logger, sleep } from '@model-service/util';
import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';

import { SIMULATOR_SETTINGS, SimulatorSettings } from './config/simulator-settings';
import { ConsumerBacklog } from './market/consumer-backlog';
import { MarketReplay } from './market/market-replay';
import { SimClock } from './market/sim-clock';
import { ReliablePublisher } from './messaging/reliable-publisher';
import { AccountStore } from './trading/account-store';
import { Ledger } from './trading/ledger';
import { OrderEngine } from './trading/order-engine';
import { PositionFeed } from './trading/position-feed';

type RuntimeState = 'starting' | 'waiting_for_database' | 'running' | 'stopping';

/**
 * Starts the simulator once the app is up: loads balances and open positions from the database
 * (seeding the initial balances, retrying while the tables do not exist yet), then consumes signals and
 * starts the market. On shutdown: stops consuming, finishes the current price update, stops.
 */
@Injectable()
export class SimulatorRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private state: RuntimeState = 'starting';
  private lastError: string | null = null;
  private booting?: Promise<void>;
  private stopping = false;
  private readonly log = new Logger('SimulatorRuntime');

  constructor(
    @Inject(SIMULATOR_SETTINGS) private readonly settings: SimulatorSettings,
    private readonly store: AccountStore,
    private readonly ledger: Ledger,
    private readonly clock: SimClock,
    private readonly feed: PositionFeed,
    private readonly engine: OrderEngine,
    private readonly replay: MarketReplay,
    private readonly consumers: ConsumerHost,
    private readonly publisher: ReliablePublisher,
    private readonly health: HealthRegistry,
    private readonly rawPublisher: Publisher,
    private readonly backlog: ConsumerBacklog,
  ) {}

  onApplicationBootstrap(): void {
    this.health.registerInfo('simulator', () => this.info());
    this.booting = this.boot();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.state = 'stopping';
    this.publisher.stop();
    await this.booting;
    await this.consumers.stop();
    await this.replay.stop();
    await this.backlog.close();
  }

  info(): Record<string, unknown> {
    return {
      state: this.state,
      error: this.lastError,
      market: this.replay.info(),
      orders: this.engine.orderStats(),
      open_positions: this.ledger.openPositions().length,
      balances: Object.fromEntries(this.ledger.allBalances().map((b) => [b.coin, b.balance])),
      queues: this.settings.queues,
    };
  }

  private async boot(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (this.stopping) return;
      try {
        await this.loadAccount();
        break;
      } catch (err) {
        this.state = 'waiting_for_database';
        this.lastError = err instanceof Error ? err.message : String(err);
        if (attempt === 1 || attempt % 15 === 0) {
          this.log.warn('cannot load the account from the database yet (run the migrations: npm run migrate); retrying', { error: this.lastError });
        }
        await sleep(2_000);
      }
    }
    if (this.stopping) return;
    this.lastError = null;
    await this.declareOutputs();
    // In arrival order: the order engine fills signals one at a time. Invalid ones go to `<queue>.dlq`.
    await this.consumers.consume<TradingSignal>({
      queue: this.settings.queues.tradingSignals,
      schema: TradingSignal,
      ordered: true,
      handler: (signal) => this.engine.intake(signal),
    });
    this.replay.start();
    this.state = 'running';
  }

  /**
   * The queues exist before the state is `running` (the signals queue included, before its consumer has
   * subscribed), so nothing published before a consumer appears is lost.
   */
  private async declareOutputs(): Promise<void> {
    const { orderEvents, positionUpdated, ticker, orderbook, kline, tradingSignals } = this.settings.queues;
    try {
      await Promise.all([orderEvents, positionUpdated, ticker, orderbook, kline, tradingSignals].map((q) => this.rawPublisher.assertQueue(q)));
    } catch (err) {
      // The publisher declares each queue again before its first message once the broker is back.
      this.log.warn('could not declare the output queues yet', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  private async loadAccount(): Promise<void> {
    const at = this.clock.now();
    const seeded = await this.store.seedBalances(this.settings.initialBalances, at);
    const leftovers = await this.store.rejectLeftovers('simulator restarted before the order was filled', at);
    const stored = await this.store.load();
    for (const b of stored.balances) this.ledger.setBalance(b.coin, b.balance);
    for (const { rowId, position } of stored.positions) {
      this.ledger.restorePosition(position);
      this.feed.remember(position, rowId);
    }
    this.log.info('account loaded', {
      seeded_balances: seeded,
      leftover_orders_rejected: leftovers,
      balances: Object.fromEntries(stored.balances.map((b) => [b.coin, b.balance])),
      open_positions: stored.positions.length,
    });
  }
}
