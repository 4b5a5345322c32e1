import type { ConfirmChannel, ConsumeMessage } from 'amqplib';

import type { MessageHandler } from './consumer.types';
import type { ManagedChannel } from './managed-channel';
import { MessagingMetrics } from './messaging-metrics';
import { MAX_SETTLE_ATTEMPTS, QueueProcessor, type QueueProcessorConfig } from './queue-processor';

interface Fake {
  processor: QueueProcessor;
  channel: { ack: jest.Mock; nack: jest.Mock };
  send: jest.Mock;
  open: { value: boolean };
}

function setup(opts: {
  handler?: MessageHandler<unknown>;
  send?: jest.Mock;
  brokerDeadLetter?: boolean;
  config?: Partial<QueueProcessorConfig>;
}): Fake {
  const send = opts.send ?? jest.fn().mockResolvedValue(undefined);
  const open = { value: true };
  const channel = { ack: jest.fn(), nack: jest.fn() };
  const processor = new QueueProcessor(
    {
      queue: 'q',
      label: 'q',
      deadLetterQueue: 'q.dlq',
      maxRetries: 0,
      retryDelayMs: 1,
      ordered: true,
      decode: {},
      maxLoggedBodyBytes: 1024,
      stallAfterMs: 60_000,
      ...opts.config,
    },
    opts.handler ?? (() => undefined),
    {
      channel: { current: { sendToQueue: send } } as unknown as ManagedChannel,
      metrics: new MessagingMetrics(),
      isStopping: () => false,
      pause: () => new Promise((r) => setImmediate(r)),
      hasBrokerDeadLetter: () => opts.brokerDeadLetter ?? false,
      isChannelOpen: () => open.value,
    },
  );
  return { processor, channel, send, open };
}

function delivery(body: string | Buffer, headers: Record<string, unknown> = {}): ConsumeMessage {
  return {
    content: Buffer.isBuffer(body) ? body : Buffer.from(body),
    fields: { redelivered: false, deliveryTag: 1 },
    properties: { headers },
  } as unknown as ConsumeMessage;
}

const poison = JSON.stringify({ trace_id: 'x'.repeat(70_000), amount: 'not a number' });
const ch = (f: Fake): ConfirmChannel => f.channel as unknown as ConfirmChannel;

describe('QueueProcessor settle paths', () => {
  it('dead-letters the 70,000-char trace_id poison with small headers and a fresh trace id, then acks', async () => {
    const f = setup({ handler: () => Promise.reject(new Error('amount: must be a number')) });
    await f.processor.process(ch(f), delivery(poison));
    expect(f.send).toHaveBeenCalledTimes(1);
    const [queue, body, props] = f.send.mock.calls[0] as [string, Buffer, { headers: Record<string, unknown> }];
    expect(queue).toBe('q.dlq');
    expect(body.toString()).toBe(poison);
    expect(JSON.stringify(props.headers).length).toBeLessThan(1_000);
    expect(props.headers['trace_id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(f.channel.ack).toHaveBeenCalledTimes(1);
    expect(f.channel.nack).not.toHaveBeenCalled();
    expect(f.processor.progress()).toMatchObject({ ok: true });
  });

  it('retries a failed dead-letter publish with only our headers', async () => {
    const send = jest.fn().mockRejectedValueOnce(new RangeError('header too large')).mockResolvedValue(undefined);
    const f = setup({ send, config: { decode: { parse: () => Promise.reject(new Error('invalid')) } } });
    await f.processor.process(ch(f), delivery('{"a":1}', { big: 'b'.repeat(500), ok: 1 }));
    expect(send).toHaveBeenCalledTimes(2);
    const second = (send.mock.calls[1] as [string, Buffer, { headers: Record<string, unknown> }])[2].headers;
    expect(Object.keys(second).sort()).toEqual(['trace_id', 'x-death-reason', 'x-failed-at', 'x-original-queue']);
    expect(f.channel.ack).toHaveBeenCalledTimes(1);
  });

  it(`after ${MAX_SETTLE_ATTEMPTS} failed publishes rejects (no requeue) into the broker dead-letter exchange`, async () => {
    const send = jest.fn().mockRejectedValue(new Error('publish refused'));
    const f = setup({ send, brokerDeadLetter: true, config: { decode: { parse: () => Promise.reject(new Error('invalid')) } } });
    await f.processor.process(ch(f), delivery('{}'));
    expect(send).toHaveBeenCalledTimes(MAX_SETTLE_ATTEMPTS);
    expect(f.channel.nack).toHaveBeenCalledTimes(1);
    expect(f.channel.nack.mock.calls[0]).toEqual([expect.anything(), false, false]);
    expect(f.channel.ack).not.toHaveBeenCalled();
    expect(f.processor.progress()).toMatchObject({ ok: true });
  });

  it('without a broker dead-letter exchange holds the message, reports the queue, never requeues, and settles once publishing works', async () => {
    let fail = true;
    const send = jest.fn().mockImplementation(() => (fail ? Promise.reject(new Error('publish refused')) : Promise.resolve()));
    const f = setup({ send, brokerDeadLetter: false, config: { decode: { parse: () => Promise.reject(new Error('invalid')) } } });
    const done = f.processor.process(ch(f), delivery('{}'));
    while (send.mock.calls.length < MAX_SETTLE_ATTEMPTS + 2) await new Promise((r) => setImmediate(r));
    expect(f.processor.progress()).toMatchObject({ ok: false, queue: 'q', error: expect.stringContaining('cannot be settled') });
    expect(f.channel.nack).not.toHaveBeenCalled();
    expect(f.channel.ack).not.toHaveBeenCalled();
    fail = false;
    await done;
    expect(f.channel.ack).toHaveBeenCalledTimes(1);
    expect(f.channel.nack).not.toHaveBeenCalled();
    expect(f.processor.progress()).toMatchObject({ ok: true });
  });

  it('stops trying when the channel closes (the broker redelivers)', async () => {
    const f = setup({ config: { decode: { parse: () => Promise.reject(new Error('invalid')) } } });
    f.send.mockImplementation(() => {
      f.open.value = false;
      return Promise.reject(new Error('Channel closed'));
    });
    await f.processor.process(ch(f), delivery('{}'));
    expect(f.send).toHaveBeenCalledTimes(1);
    expect(f.processor.progress()).toMatchObject({ ok: true, in_flight: 0 });
  });

  it('dead-letters a body over the size limit without parsing it', async () => {
    const parse = jest.fn();
    const f = setup({ config: { decode: { parse, maxBodyBytes: 10 } } });
    await f.processor.process(ch(f), delivery('{"a":"0123456789"}'));
    expect(parse).not.toHaveBeenCalled();
    const headers = (f.send.mock.calls[0] as [string, Buffer, { headers: Record<string, unknown> }])[2].headers;
    expect(headers['x-death-reason']).toBe('body is 18 bytes, more than the 10 allowed');
  });
});

describe('QueueProcessor transient failures', () => {
  it('pauses instead of counting the failure: never dead-letters, retries the same attempt, resumes when the dependency is back', async () => {
    let down = 5;
    const attempts: number[] = [];
    const f = setup({
      handler: (_m, ctx) => {
        attempts.push(ctx.attempt);
        if (down-- > 0) return Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
        return Promise.resolve();
      },
      config: { maxRetries: 0, transientPauseMs: [1, 4] },
    });
    const done = f.processor.process(ch(f), delivery('{"a":1}'));
    while (attempts.length < 2) await new Promise((r) => setImmediate(r));
    expect(f.processor.progress()).toMatchObject({ ok: false, queue: 'q', error: expect.stringContaining('paused: connect ECONNREFUSED') });
    await done;
    expect(attempts).toEqual([1, 1, 1, 1, 1, 1]);
    expect(f.send).not.toHaveBeenCalled();
    expect(f.channel.ack).toHaveBeenCalledTimes(1);
    expect(f.processor.progress()).toMatchObject({ ok: true });
  });

  it('a non-transient failure still dead-letters after the retries', async () => {
    const f = setup({ handler: () => Promise.reject(new Error('value too long')), config: { maxRetries: 0 } });
    await f.processor.process(ch(f), delivery('{"a":1}'));
    expect(f.send).toHaveBeenCalledTimes(1);
    expect(f.channel.ack).toHaveBeenCalledTimes(1);
  });
});

describe('QueueProcessor progress', () => {
  it('reports a delivery unsettled for longer than the stall limit, and recovers once it settles', async () => {
    let release!: () => void;
    const f = setup({ handler: () => new Promise<void>((r) => (release = r)), config: { stallAfterMs: 20 } });
    const done = f.processor.process(ch(f), delivery('{"a":1}'));
    expect(f.processor.progress()).toMatchObject({ ok: true, in_flight: 1 });
    await new Promise((r) => setTimeout(r, 40));
    expect(f.processor.progress()).toMatchObject({ ok: false, queue: 'q', error: expect.stringContaining('unsettled') });
    release();
    await done;
    expect(f.processor.progress()).toMatchObject({ ok: true, in_flight: 0 });
  });

  it('an idle queue is never stalled', async () => {
    const f = setup({ config: { stallAfterMs: 1 } });
    await new Promise((r) => setTimeout(r, 10));
    expect(f.processor.progress()).toMatchObject({ ok: true });
  });
});
