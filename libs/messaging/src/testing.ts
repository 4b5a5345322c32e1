import { connect, type Channel, type ChannelModel, type Replies } from 'amqplib';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

import { Consumer } from './lib/consumer';
import { Publisher } from './lib/publisher';
import { RabbitConnection } from './lib/rabbit-connection';

const run = promisify(execFile);

/** The RabbitMQ server tests use (RABBITMQ_URL, else the local default). */
export { TEST_RABBITMQ_URL } from '@model-service/util/testing';

/** A name no other test uses: `<prefix>.<time>.<random>`. */
export function uniqueName(prefix: string): string {
  return `${prefix}.${Date.now().toString(36)}.${randomBytes(4).toString('hex')}`;
}

/** Polls until predicate() is true; throws with `what` after timeoutMs. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs: number, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Force-closes the broker side of every connection whose `connection_name` client property is `name`
 * (as RabbitConnection sets it), like an operator or a network failure would. Returns how many were closed.
 */
export async function forceCloseConnection(name: string, reason = 'closed by test'): Promise<number> {
  const { stdout } = await run('rabbitmqctl', ['list_connections', 'pid', 'client_properties', '-q', '--no-table-headers']);
  const needle = `{"connection_name","${name}"}`;
  const pids = stdout
    .split('\n')
    .filter((line) => line.includes(needle))
    .map((line) => line.split('\t')[0]?.trim())
    .filter((pid): pid is string => !!pid);
  for (const pid of pids) await run('rabbitmqctl', ['close_connection', pid, reason]);
  return pids.length;
}

/** A short-lived plain amqplib connection for test setup and inspection. */
export async function withRawConnection<T>(url: string, fn: (conn: ChannelModel) => Promise<T>): Promise<T> {
  const conn = await connect(url, { noDelay: true });
  conn.on('error', () => undefined);
  try {
    return await fn(conn);
  } finally {
    await conn.close().catch(() => undefined);
  }
}

/** Runs `op` on a channel of its own, so that a failing op (a 404, a 406) closes nothing else; its failure is ignored. */
async function onOwnChannel(conn: ChannelModel, op: (ch: Channel) => Promise<unknown>): Promise<void> {
  const ch = await conn.createChannel();
  ch.on('error', () => undefined);
  await op(ch).catch(() => undefined);
  await ch.close().catch(() => undefined);
}

/** Deletes queues and their broker dead-letter exchanges `<queue>.dlx` (missing ones are fine). */
export async function deleteQueues(url: string, queues: string[]): Promise<void> {
  await withRawConnection(url, async (conn) => {
    for (const queue of queues) {
      await onOwnChannel(conn, (ch) => ch.deleteQueue(queue));
      if (queue.endsWith('.dlq')) continue;
      await onOwnChannel(conn, (ch) => ch.deleteExchange(`${queue}.dlx`));
    }
  });
}

/** Deletes exchanges (missing ones are fine). */
export async function deleteExchanges(url: string, exchanges: string[]): Promise<void> {
  await withRawConnection(url, async (conn) => {
    for (const exchange of exchanges) await onOwnChannel(conn, (ch) => ch.deleteExchange(exchange));
  });
}

/** A queue's message and consumer counts, or undefined while it does not exist (a passive check on a channel of its own). */
export async function inspectQueue(conn: ChannelModel, queue: string): Promise<Replies.AssertQueue | undefined> {
  let found: Replies.AssertQueue | undefined;
  await onOwnChannel(conn, async (ch) => (found = await ch.checkQueue(queue)));
  return found;
}

export interface StoredMessage {
  body: Buffer;
  headers: Record<string, unknown>;
  contentType?: string;
  persistent: boolean;
}

/** Takes (gets and acks) every message currently in a queue. */
export async function takeAll(url: string, queue: string): Promise<StoredMessage[]> {
  return withRawConnection(url, async (conn) => {
    const ch = await conn.createChannel();
    const out: StoredMessage[] = [];
    for (;;) {
      const msg = await ch.get(queue, { noAck: true });
      if (msg === false) break;
      out.push({
        body: msg.content,
        headers: (msg.properties.headers ?? {}) as Record<string, unknown>,
        contentType: msg.properties.contentType as string | undefined,
        persistent: msg.properties.deliveryMode === 2,
      });
    }
    await ch.close();
    return out;
  });
}

/** Number of ready messages in a queue. */
export async function queueDepth(url: string, queue: string): Promise<number> {
  return withRawConnection(url, async (conn) => {
    const ch = await conn.createChannel();
    const { messageCount } = await ch.checkQueue(queue);
    await ch.close();
    return messageCount;
  });
}

/** Publishes raw bytes to a queue with confirms, as a neighbour service (or an attacker) might. */
export async function publishRaw(url: string, queue: string, bodies: Array<Buffer | string>, headers?: Record<string, unknown>): Promise<void> {
  await withRawConnection(url, async (conn) => {
    const ch = await conn.createConfirmChannel();
    for (const body of bodies) ch.sendToQueue(queue, Buffer.isBuffer(body) ? body : Buffer.from(body), { persistent: true, headers });
    await ch.waitForConfirms();
    await ch.close();
  });
}

/** What {@link brokerPerTest} gives the tests of a describe block. */
export interface BrokerPerTest {
  /** The test's connection (open from beforeEach to afterEach). */
  readonly connection: RabbitConnection;
  /** A Publisher on the test's connection (made on first use), closed after the test's consumers stop. */
  readonly publisher: Publisher;
  /** A Consumer on the test's connection, stopped after the test. */
  newConsumer(): Consumer;
  /** Returns `queue`, deleted with its dead-letter queue and exchange after the test. */
  deleteAfterTest(queue: string): string;
  /** Returns `exchange`, deleted after the test. */
  deleteExchangeAfterTest(exchange: string): string;
}

/**
 * For the tests of the enclosing describe block: a RabbitConnection (named `<connectionPrefix>.<unique>`) opened
 * before each test; after it, its consumers are stopped, the connection closed and the queues and exchanges it
 * registered deleted.
 */
export function brokerPerTest(url: string, connectionPrefix: string): BrokerPerTest {
  let connection: RabbitConnection | undefined;
  let publisher: Publisher | undefined;
  const consumers: Consumer[] = [];
  const queues: string[] = [];
  const exchanges: string[] = [];
  beforeEach(async () => {
    connection = new RabbitConnection({ url, name: uniqueName(connectionPrefix) });
    await connection.waitForConnect();
  });
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
    await publisher?.close();
    publisher = undefined;
    await connection?.close();
    await deleteQueues(url, queues.splice(0));
    await deleteExchanges(url, exchanges.splice(0));
  });
  const fixture: BrokerPerTest = {
    get connection(): RabbitConnection {
      if (!connection) throw new Error('brokerPerTest: the connection exists only inside a test');
      return connection;
    },
    get publisher(): Publisher {
      return (publisher ??= new Publisher(fixture.connection));
    },
    newConsumer(): Consumer {
      const c = new Consumer(fixture.connection);
      consumers.push(c);
      return c;
    },
    deleteAfterTest(queue: string): string {
      queues.push(queue, `${queue}.dlq`);
      return queue;
    },
    deleteExchangeAfterTest(exchange: string): string {
      exchanges.push(exchange);
      return exchange;
    },
  };
  return fixture;
}
