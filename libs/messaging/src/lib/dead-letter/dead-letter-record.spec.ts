import { describeDeadLetter, redriveHeaders } from './dead-letter-record';

const body = (o: unknown): Buffer => Buffer.from(JSON.stringify(o));

describe('describeDeadLetter', () => {
  it('reads our republish headers: original queue, reason, failed_at, trace id, retries', () => {
    const r = describeDeadLetter(
      {
        'x-death-reason': 'handler failed after 4 attempt(s): boom',
        'x-original-queue': 'order-manager.order_events',
        'x-failed-at': '2026-12-04T12:00:00.000Z',
        'x-retry-count': 3,
        trace_id: 'abc-123',
      },
      body({ trace_id: 'from-body' }),
    );
    expect(r).toEqual({
      originalQueue: 'order-manager.order_events',
      reason: 'handler failed after 4 attempt(s): boom',
      failedAt: '2026-12-04T12:00:00.000Z',
      traceId: 'abc-123',
      via: 'republish',
      retryCount: 3,
      deathCount: 0,
    });
  });

  it('reads the broker’s dead-lettering (x-death, x-first-death-*), the time as AMQP seconds, the trace id from the body', () => {
    const r = describeDeadLetter(
      {
        'x-first-death-queue': 'ws-gateway.ticker',
        'x-first-death-reason': 'rejected',
        'x-death': [{ count: 2, reason: 'rejected', queue: 'ws-gateway.ticker', time: 1_796_400_000, exchange: '', 'routing-keys': ['ws-gateway.ticker'] }],
      },
      body({ trace_id: 'tr-1' }),
    );
    expect(r).toMatchObject({
      originalQueue: 'ws-gateway.ticker',
      reason: 'dead-lettered by the broker (rejected)',
      failedAt: new Date(1_796_400_000_000).toISOString(),
      traceId: 'tr-1',
      via: 'broker',
      deathCount: 2,
    });
  });

  it.each([
    ['a Date', new Date('2026-01-02T03:04:05.000Z')],
    ['amqplib’s typed value', { '!': 'timestamp', value: Date.parse('2026-01-02T03:04:05.000Z') / 1000 }],
  ])('takes the x-death time as %s', (_what, time) => {
    expect(describeDeadLetter({ 'x-death': [{ count: 1, reason: 'expired', queue: 'q', time }] }, Buffer.alloc(0))).toMatchObject({
      originalQueue: 'q',
      failedAt: '2026-01-02T03:04:05.000Z',
    });
  });

  it.each([
    ['70,000 characters', 'x'.repeat(70_000)],
    ['a space', 'a b'],
    ['empty', ''],
    ['a number', 42],
  ])('never reports a trace id that is %s (from a header or the body)', (_what, bad) => {
    const r = describeDeadLetter({ trace_id: bad, 'x-original-queue': 'q', 'x-death-reason': 'invalid' }, body({ trace_id: bad }));
    expect(r.traceId).toBeNull();
  });

  it('caps the reason it reports and knows nothing about a message without dead-letter headers', () => {
    expect(describeDeadLetter({ 'x-death-reason': 'r'.repeat(10_000), 'x-original-queue': 'q' }, Buffer.alloc(0)).reason.length).toBeLessThan(600);
    expect(describeDeadLetter(undefined, Buffer.from('not json'))).toMatchObject({ originalQueue: null, via: 'unknown', traceId: null });
  });
});

describe('redriveHeaders', () => {
  it('keeps the original headers and drops our dead-letter / retry bookkeeping and the broker’s death records', () => {
    expect(
      redriveHeaders({
        trace_id: 't',
        'x-custom': 'keep',
        'x-retry-count': 3,
        'x-death-reason': 'r',
        'x-original-queue': 'q',
        'x-failed-at': 'now',
        'x-death': [{ count: 1 }],
        'x-first-death-queue': 'q',
        'x-first-death-reason': 'rejected',
        'x-first-death-exchange': '',
        'x-last-death-queue': 'q',
      }),
    ).toEqual({ trace_id: 't', 'x-custom': 'keep' });
    expect(redriveHeaders(undefined)).toEqual({});
  });
});
