import { DemoArgsError, parseDemoArgs } from './demo-args';

describe('parseDemoArgs', () => {
  it('defaults: run until Ctrl-C on the generator at 10 candles/s', () => {
    expect(parseDemoArgs([])).toEqual({
      durationSeconds: null,
      candles: null,
      speed: 10,
      refreshSeconds: 3,
      queuePrefix: '',
      reportFile: null,
      keepData: false,
      stopWhenDone: false,
      expectModelMode: false,
      help: false,
    });
  });

  it('reads every option, as `--opt value` or `--opt=value`', () => {
    const a = parseDemoArgs(['--duration', '300', '--candles=my/BTCUSDT.csv', '--speed', '2.5', '--refresh=1', '--queue-prefix', 'x.', '--report', 'r.json', '--keep-data', '--stop-when-done', '--expect-model-mode']);
    expect(a).toMatchObject({ durationSeconds: 300, candles: 'my/BTCUSDT.csv', speed: 2.5, refreshSeconds: 1, queuePrefix: 'x.', reportFile: 'r.json', keepData: true, stopWhenDone: true, expectModelMode: true });
    expect(parseDemoArgs(['-h']).help).toBe(true);
  });

  it.each([
    [['--duration'], /--duration needs a value/],
    [['--duration', '0'], /--duration needs a positive number/],
    [['--duration', '-5'], /--duration needs a positive number/],
    [['--duration', 'abc'], /--duration needs a positive number/],
    [['--speed', '--duration', '5'], /--speed needs a value/],
    [['--queue-prefix', 'a b'], /--queue-prefix may hold only/],
    [['--verbose'], /unknown option --verbose/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseDemoArgs(argv)).toThrow(DemoArgsError);
    expect(() => parseDemoArgs(argv)).toThrow(message);
  });
});
