import { parseSkipCounts } from './skip-counts';

describe('parseSkipCounts', () => {
  it('sums the skip counter per strategy and reason, ignoring other metrics and comments', () => {
    const text = [
      '# HELP model_service_signals_skipped_total Signals skipped',
      '# TYPE model_service_signals_skipped_total counter',
      'model_service_signals_skipped_total{strategy_id="a",reason="open_order"} 3',
      'model_service_signals_skipped_total{reason="rate_limited",strategy_id="a"} 2 1767225600000',
      'model_service_signals_skipped_total{strategy_id="b",reason="stale_market_data",replica="2"} 1.5e1',
      'model_service_signals_skipped_total{strategy_id="b",reason="stale_market_data",replica="3"} 5',
      'model_service_signals_skipped_total{strategy_id="c"} 1',
      'model_service_signals_skipped_totally{strategy_id="a",reason="x"} 99',
      'model_service_signals_published_total{strategy_id="a"} 50',
      'model_service_signals_skipped_total{reason="no_strategy"} 4',
      'model_service_signals_skipped_total{strategy_id="a\\"q",reason="x"} 1',
      'model_service_signals_skipped_total{strategy_id="d",reason="x"} NaN',
      '',
    ].join('\n');
    const counts = parseSkipCounts(text);
    expect(Object.fromEntries(counts)).toEqual({
      a: { open_order: 3, rate_limited: 2 },
      b: { stale_market_data: 20 },
      c: { unknown: 1 },
      'a"q': { x: 1 },
    });
  });

  it('returns nothing for text without the counter', () => {
    expect(parseSkipCounts('up 1\n').size).toBe(0);
    expect(parseSkipCounts('').size).toBe(0);
  });
});
