/**
 * The relay of bench:broker-floor, run as its own process: the least a signal app can do. It consumes the
 * ticker queue (prefetch 10), publishes one message per ticker to a fanout exchange bound to two durable
 * queues (persistent, on a confirm channel, as the apps publish signals), acks the ticker after the confirm,
 * and drains the second queue (the apps' records queue) with an ack per message. No decision, no database.
 *
 * Env: RABBITMQ_URL, RELAY_IN (queue), RELAY_EXCHANGE (fanout), RELAY_RECORDS (queue to drain).
 * Prints "ready" once it consumes.
 */
import { connect } from 'amqplib';

async function main(): Promise<void> {
  const env = (name: string): string => {
    const v = process.env[name];
    if (!v) throw new Error(`${name} is required`);
    return v;
  };
  const conn = await connect(env('RABBITMQ_URL'), { noDelay: true });
  let stopping = false;
  // Closing while tickers are in flight makes amqplib report "Connection closing": expected then.
  conn.on('error', (err: Error) => stopping || console.error(`relay connection: ${err.message}`));
  const pub = await conn.createConfirmChannel();
  const sub = await conn.createChannel();
  await sub.prefetch(10);
  const exchange = env('RELAY_EXCHANGE');
  await sub.consume(env('RELAY_IN'), (msg) => {
    if (!msg) return;
    const ticker = JSON.parse(msg.content.toString('utf8')) as { trace_id?: string };
    const out = Buffer.from(JSON.stringify({ trace_id: ticker.trace_id, relayed_at: new Date().toISOString(), ticker }));
    pub.publish(exchange, '', out, { persistent: true, contentType: 'application/json' }, (err) => {
      if (err) sub.nack(msg, false, true);
      else sub.ack(msg);
    });
  });
  const records = await conn.createChannel();
  await records.prefetch(50);
  await records.consume(env('RELAY_RECORDS'), (msg) => msg && records.ack(msg));
  process.on('SIGTERM', () => {
    stopping = true;
    void conn.close().catch(() => undefined).finally(() => process.exit(0));
  });
  console.log('ready');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
