import {
  bodyForLog,
  copyableHeaders,
  deadLetterHeaders,
  isValidTraceId,
  retryCountOf,
  retryHeaders,
  traceIdOf,
  truncate,
} from './message-headers';
import { redactUrl } from './rabbit-connection';

describe('retryCountOf', () => {
  it.each([
    ['no headers', undefined, 0],
    ['header missing', {}, 0],
    ['zero', { 'x-retry-count': 0 }, 0],
    ['one', { 'x-retry-count': 1 }, 1],
    ['large', { 'x-retry-count': 57 }, 57],
    ['numeric string', { 'x-retry-count': '3' }, 3],
    ['numeric string with spaces', { 'x-retry-count': ' 4 ' }, 4],
    ['bigint', { 'x-retry-count': BigInt(2) }, 2],
    ['negative', { 'x-retry-count': -1 }, 0],
    ['fraction', { 'x-retry-count': 1.5 }, 0],
    ['NaN', { 'x-retry-count': Number.NaN }, 0],
    ['Infinity', { 'x-retry-count': Number.POSITIVE_INFINITY }, 0],
    ['garbage string', { 'x-retry-count': 'two' }, 0],
    ['object', { 'x-retry-count': { n: 1 } }, 0],
  ])('%s -> %d', (_label, headers, expected) => {
    expect(retryCountOf(headers as Record<string, unknown> | undefined)).toBe(expected);
  });
});

describe('traceIdOf', () => {
  it.each([
    ['body trace_id wins over header', { trace_id: 'body' }, { trace_id: 'header' }, 'body'],
    ['header when body has none', { a: 1 }, { trace_id: 'header' }, 'header'],
    ['x-trace-id header as fallback', {}, { 'x-trace-id': 'alt' }, 'alt'],
    ['Buffer header value', {}, { trace_id: Buffer.from('buf') }, 'buf'],
    ['empty body trace_id is ignored', { trace_id: '' }, { trace_id: 'header' }, 'header'],
    ['non-string body trace_id is ignored', { trace_id: 42 }, {}, undefined],
    ['array body', [{ trace_id: 'x' }], {}, undefined],
    ['not JSON (undefined body)', undefined, undefined, undefined],
    ['null body', null, { trace_id: 'h' }, 'h'],
    ['70,000-char body trace_id is never taken', { trace_id: 'x'.repeat(70_000) }, {}, undefined],
    ['129-char body trace_id falls back to the header', { trace_id: 'a'.repeat(129) }, { trace_id: 'h' }, 'h'],
    ['128-char body trace_id is taken', { trace_id: 'a'.repeat(128) }, {}, 'a'.repeat(128)],
    ['control characters are refused', { trace_id: 'a\nb' }, {}, undefined],
    ['non-ASCII is refused', { trace_id: 'träce' }, {}, undefined],
    ['spaces are refused', { trace_id: 'a b' }, {}, undefined],
    ['huge header is refused', {}, { trace_id: 'y'.repeat(70_000) }, undefined],
    ['huge Buffer header is refused', {}, { trace_id: Buffer.alloc(70_000, 0x61) }, undefined],
  ])('%s', (_label, body, headers, expected) => {
    expect(traceIdOf(body, headers as Record<string, unknown> | undefined)).toBe(expected);
  });
});

describe('isValidTraceId', () => {
  it.each([
    ['', false],
    ['a', true],
    ['a'.repeat(128), true],
    ['a'.repeat(129), false],
    ['3f2a-uuid-like', true],
    ['tab\there', false],
    [42, false],
    [undefined, false],
  ])('%p -> %p', (value, ok) => {
    expect(isValidTraceId(value)).toBe(ok);
  });
});

describe('dead-letter and retry headers', () => {
  const failedAt = new Date('2026-01-02T03:04:05.000Z');

  it('keeps the original headers and adds reason, queue, time and trace id', () => {
    expect(
      deadLetterHeaders({ source: 'ws-gateway', trace_id: 'old' }, { reason: 'amount: must be positive', queue: 'q', traceId: 't-1', failedAt }),
    ).toEqual({
      source: 'ws-gateway',
      trace_id: 't-1',
      'x-death-reason': 'amount: must be positive',
      'x-original-queue': 'q',
      'x-failed-at': '2026-01-02T03:04:05.000Z',
    });
  });

  it('cuts a very long reason to 512 characters plus a note', () => {
    const headers = deadLetterHeaders(undefined, { reason: 'x'.repeat(100_000), queue: 'q', traceId: 't', failedAt });
    expect(String(headers['x-death-reason']).length).toBeLessThan(560);
  });

  it('never carries an oversized original header or an invalid trace id', () => {
    const headers = deadLetterHeaders(
      { small: 'ok', huge: 'z'.repeat(70_000), nested: { deep: 'y'.repeat(5_000) }, trace_id: 'x'.repeat(70_000) },
      { reason: 'r', queue: 'q', traceId: 'x'.repeat(70_000), failedAt },
    );
    expect(headers).toEqual({
      small: 'ok',
      trace_id: 'invalid',
      'x-death-reason': 'r',
      'x-original-queue': 'q',
      'x-failed-at': '2026-01-02T03:04:05.000Z',
    });
    expect(JSON.stringify(headers).length).toBeLessThan(1_000);
  });

  it('minimal dead-letter headers carry only ours', () => {
    expect(Object.keys(deadLetterHeaders({ a: 1 }, { reason: 'r', queue: 'q', traceId: 't', failedAt }, true)).sort()).toEqual([
      'trace_id',
      'x-death-reason',
      'x-failed-at',
      'x-original-queue',
    ]);
  });

  it('copies headers up to a 16 KiB total, far inside the 64 KiB amqplib can encode', () => {
    const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`h${i}`, 'v'.repeat(1_000)]));
    const copied = copyableHeaders(many);
    expect(Object.keys(copied).length).toBeLessThan(17);
    expect(JSON.stringify(copied).length).toBeLessThan(17 * 1_024);
  });

  it('copies at most 64 small headers', () => {
    const many = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`h${i}`, i]));
    expect(Object.keys(copyableHeaders(many))).toHaveLength(64);
  });

  it('sets the retry count on a copy of the headers', () => {
    const original = { a: 1, 'x-retry-count': 1 };
    expect(retryHeaders(original, 2, 't')).toEqual({ a: 1, 'x-retry-count': 2, trace_id: 't' });
    expect(original['x-retry-count']).toBe(1);
  });
});

describe('text helpers', () => {
  it.each([
    ['shorter than max', 'abc', 5, 'abc'],
    ['exactly max', 'abcde', 5, 'abcde'],
    ['one over max', 'abcdef', 5, 'abcde… (1 more characters)'],
  ])('truncate: %s', (_label, text, max, expected) => {
    expect(truncate(text, max)).toBe(expected);
  });

  it.each([
    ['under the limit', 'hello', 10, { body: 'hello', body_bytes: 5 }],
    ['at the limit', 'hello', 5, { body: 'hello', body_bytes: 5 }],
    ['over the limit', 'hello world', 5, { body: 'hello', body_bytes: 11, body_truncated: true }],
  ])('bodyForLog: %s', (_label, text, max, expected) => {
    expect(bodyForLog(Buffer.from(text), max)).toEqual(expected);
  });

  it.each([
    ['amqp://guest:guest@127.0.0.1:5672', 'amqp://guest:***@127.0.0.1:5672'],
    ['amqps://user:p%40ss@rabbit:5671/vhost', 'amqps://user:***@rabbit:5671/vhost'],
    ['amqp://127.0.0.1', 'amqp://127.0.0.1'],
  ])('redactUrl(%s)', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });
});
