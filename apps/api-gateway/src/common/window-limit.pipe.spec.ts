import { WindowLimitPipe } from './window-limit.pipe';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 1);
const pipe = new WindowLimitPipe(90, { now: () => NOW });
const query = { type: 'query' as const };

describe('WindowLimitPipe', () => {
  it.each([
    ['exactly 90 days', { start_time: new Date(NOW - 90 * DAY), end_time: new Date(NOW) }],
    ['90 days up to now (no end_time)', { start_time: new Date(NOW - 90 * DAY) }],
    ['no start_time (the endpoint default applies)', { end_time: new Date(NOW) }],
    ['no times at all', { limit: 10 }],
  ])('passes %s', (_what, value) => {
    expect(pipe.transform(value, query)).toBe(value);
  });

  it.each([
    ['90 days and a millisecond', { start_time: new Date(NOW - 90 * DAY - 1), end_time: new Date(NOW) }],
    ['ten years', { start_time: new Date(NOW - 3650 * DAY), end_time: new Date(NOW) }],
    ['91 days up to now', { start_time: new Date(NOW - 91 * DAY) }],
  ])('refuses %s with a 400 naming start_time', (_what, value) => {
    expect(() => pipe.transform(value, query)).toThrow(expect.objectContaining({ response: expect.objectContaining({ status_code: 400, field: 'start_time' }) }));
  });

  it('leaves bodies and params alone', () => {
    const body = { start_time: new Date(0), end_time: new Date(NOW) };
    expect(pipe.transform(body, { type: 'body' })).toBe(body);
  });
});
