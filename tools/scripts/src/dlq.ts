/**
 * Dead-letter queues for operators:
 *   npm run dlq -- list [--prefix <p>] [--queue <name>]...        depth of every consumed queue's `<queue>.dlq`
 *   npm run dlq -- show <queue> [--limit N] [--json]               body, reason, failed_at, trace id (left in place)
 *   npm run dlq -- redrive <queue> [--limit N]                     back to the original queue, headers kept, retries reset
 * <queue> is a consumed queue or its DLQ. `--prefix` adds a test or benchmark queue prefix to the known names.
 * Connection: RABBITMQ_URL (default amqp://guest:guest@127.0.0.1:5672). Exits non-zero on failure.
 */
import 'reflect-metadata';

import { parseArgs } from 'node:util';

import { DeadLetterAdmin, type ShownDeadLetter } from '@model-service/messaging';
import { consumedQueueNames, deadLetterQueueName } from '@model-service/signals';
import { BaseServiceEnv, loadConfigOrExit } from '@model-service/util';

const USAGE = `usage:
  npm run dlq -- list [--prefix <p>] [--queue <name>]...
  npm run dlq -- show <queue> [--limit N] [--json]
  npm run dlq -- redrive <queue> [--limit N]`;

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

function printShown(queue: string, messages: ShownDeadLetter[]): void {
  console.log(`${deadLetterQueueName(queue)}: ${messages.length} message(s) shown`);
  messages.forEach((m, i) => {
    console.log(`\n#${i + 1}  failed_at=${m.failedAt ?? '?'}  via=${m.via}  original_queue=${m.originalQueue ?? '?'}  trace_id=${m.traceId ?? '-'}  retries=${m.retryCount}${m.deathCount ? `  deaths=${m.deathCount}` : ''}`);
    console.log(`    reason: ${m.reason}`);
    console.log(`    body (${m.bodyBytes} bytes${m.bodyBytes > Buffer.byteLength(m.body) ? ', cut' : ''}): ${m.body}`);
  });
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      limit: { type: 'string' },
      prefix: { type: 'string', default: '' },
      queue: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, queue, ...extra] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return;
  }
  if (extra.length > 0) throw new Error(`unexpected argument ${JSON.stringify(extra[0])}\n${USAGE}`);
  const limit = positiveInt('limit', values.limit);
  const env = loadConfigOrExit(BaseServiceEnv);
  const admin = await DeadLetterAdmin.connect(env.RABBITMQ_URL);
  try {
    if (command === 'list') {
      const names = values.queue?.length ? values.queue : consumedQueueNames(values.prefix);
      const rows = await admin.list(names);
      if (values.json) console.log(JSON.stringify(rows));
      else console.table(rows.map((r) => ({ queue: r.queue, messages: r.exists ? r.messages : 'missing' })));
      return;
    }
    if (!queue) throw new Error(`${command} needs a queue\n${USAGE}`);
    if (command === 'show') {
      const shown = await admin.show(queue, limit ?? 10);
      if (values.json) console.log(JSON.stringify(shown.map(({ headers: _headers, ...m }) => m)));
      else printShown(queue, shown);
      return;
    }
    if (command === 'redrive') {
      const result = await admin.redrive(queue, limit);
      console.log(JSON.stringify(result));
      return;
    }
    throw new Error(`unknown command ${JSON.stringify(command)}\n${USAGE}`);
  } finally {
    await admin.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
