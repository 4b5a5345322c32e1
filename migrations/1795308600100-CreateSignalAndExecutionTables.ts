import { MigrationInterface, QueryRunner } from 'typeorm';

/** trading_signals (every signal we published) and execution_events (fills reported back to us). */
export class CreateSignalAndExecutionTables1795308600100 implements MigrationInterface {
  name = 'CreateSignalAndExecutionTables1795308600100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE trading_signals (
        id bigserial PRIMARY KEY,
        signal_id uuid NOT NULL,
        strategy_id varchar(100) NOT NULL,
        asset varchar(30) NOT NULL,
        signal_type varchar(10) NOT NULL,
        amount numeric NOT NULL,
        confidence double precision NOT NULL,
        "timestamp" timestamptz NOT NULL,
        model_version varchar(100) NULL,
        is_warmup boolean NOT NULL DEFAULT false,
        market_data_snapshot jsonb NOT NULL DEFAULT '{}'::jsonb,
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        trace_id varchar(100) NULL,
        published_at timestamptz NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_trading_signals_signal_id UNIQUE (signal_id),
        CONSTRAINT chk_trading_signals_signal_type CHECK (signal_type IN ('buy', 'sell'))
      )`);
    await q.query(`CREATE INDEX idx_trading_signals_timestamp ON trading_signals ("timestamp" DESC)`);
    // Leading column strategy_id / asset serves equality filters; the timestamp serves the API's ordering.
    await q.query(`CREATE INDEX idx_trading_signals_strategy_id ON trading_signals (strategy_id, "timestamp" DESC)`);
    await q.query(`CREATE INDEX idx_trading_signals_asset ON trading_signals (asset, "timestamp" DESC)`);

    await q.query(`
      CREATE TABLE execution_events (
        id bigserial PRIMARY KEY,
        event_id varchar(100) NOT NULL,
        order_id varchar(100) NOT NULL,
        signal_id uuid NULL,
        strategy_id varchar(100) NOT NULL,
        asset varchar(30) NOT NULL,
        side varchar(10) NOT NULL,
        execution_price numeric NOT NULL,
        execution_quantity numeric NOT NULL,
        execution_fees numeric NOT NULL DEFAULT 0,
        executed_at timestamptz NOT NULL,
        signal_price numeric NULL,
        signal_timestamp timestamptz NULL,
        market_conditions jsonb NOT NULL DEFAULT '{}'::jsonb,
        performance jsonb NOT NULL DEFAULT '{}'::jsonb,
        realized_pnl numeric NULL,
        return_percent double precision NULL,
        slippage_percent double precision NULL,
        is_partial_fill boolean NOT NULL DEFAULT false,
        trace_id varchar(100) NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_execution_events_event_id UNIQUE (event_id)
      )`);
    await q.query(`CREATE INDEX idx_execution_events_executed_at ON execution_events (executed_at)`);
    await q.query(`CREATE INDEX idx_execution_events_signal_id ON execution_events (signal_id)`);
    // INCLUDE realized_pnl: the per-strategy performance time series is answered from the index alone.
    await q.query(
      `CREATE INDEX idx_execution_events_strategy_executed ON execution_events (strategy_id, executed_at) INCLUDE (realized_pnl)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE execution_events`);
    await q.query(`DROP TABLE trading_signals`);
  }
}
