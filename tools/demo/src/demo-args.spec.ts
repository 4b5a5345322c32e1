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
      cutDatabase: null,
      help: false,
    });
  });

  it('reads every option, as `--opt value` or `--opt=value`', () => {
    const a = parseDemoArgs(['--duration', '300', '--candles=my/BTCUSDT.csv', '--speed', '2.5', '--refresh=1', '--queue-prefix', 'x.', '--report', 'r.json', '--keep-data', '--stop-when-done', '--expect-model-mode']);
    expect(a).toMatchObject({ durationSeconds: 300, candles: 'my/BTCUSDT.csv', speed: 2.5, refreshSeconds: 1, queuePrefix: 'x.', reportFile: 'r.json', keepData: true, stopWhenDone: true, expectModelMode: true });
    expect(parseDemoArgs(['-h']).help).toBe(true);
  });

  it('an outage drill takes both --cut-database-at (0 allowed) and --cut-database-for', () => {
    expect(parseDemoArgs(['--cut-database-at', '60', '--cut-database-for=30']).cutDatabase).toEqual({ atSeconds: 60, forSeconds: 30 });
    expect(parseDemoArgs(['--cut-database-at=0', '--cut-database-for', '1']).cutDatabase).toEqual({ atSeconds: 0, forSeconds: 1 });
  });

  it.each([
    [['--duration'], /--duration needs a value/],
    [['--duration', '0'], /--duration needs a positive number/],
    [['--duration', '-5'], /--duration needs a positive number/],
    [['--duration', 'abc'], /--duration needs a positive number/],
    [['--speed', '--duration', '5'], /--speed needs a value/],
    [['--queue-prefix', 'a b'], /--queue-prefix may hold only/],
    [['--verbose'], /unknown option --verbose/],
    [['--cut-database-at', '60'], /--cut-database-at needs --cut-database-for/],
    [['--cut-database-for', '30'], /--cut-database-for needs --cut-database-at/],
    [['--cut-database-at', '-1', '--cut-database-for', '30'], /--cut-database-at needs a number of seconds >= 0/],
    [['--cut-database-at', '10', '--cut-database-for', '0'], /--cut-database-for needs a positive number/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseDemoArgs(argv)).toThrow(DemoArgsError);
    expect(() => parseDemoArgs(argv)).toThrow(message);
  });
});
