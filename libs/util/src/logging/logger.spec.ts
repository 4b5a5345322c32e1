import { logLineSink } from '../testing/log-capture';
import { configureLogging, Logger } from './logger';
import { runWithTrace } from './trace-context';

describe('Logger', () => {
  it('writes service, level, msg, trace_id and fields as JSON', async () => {
    const { lines, transport } = logLineSink();
    configureLogging({ service: 'unit', level: 'debug', format: 'json', transports: [transport] });
    const log = new Logger('Thing');
    await runWithTrace('trace-123', async () => {
      await new Promise((r) => setImmediate(r));
      log.info('signal published', { signal_id: 's1' });
    });
    log.debug('outside');
    expect(lines[0]).toMatchObject({
      service: 'unit',
      level: 'info',
      msg: 'signal published',
      trace_id: 'trace-123',
      signal_id: 's1',
      context: 'Thing',
    });
    expect(lines[1]['trace_id']).toBeUndefined();
  });

  it('serialises errors and respects the level', () => {
    const { lines, transport } = logLineSink();
    configureLogging({ service: 'unit', level: 'warn', format: 'json', transports: [transport] });
    const log = new Logger();
    log.info('hidden');
    log.error('boom', { error: new Error('bad thing') });
    expect(lines).toHaveLength(1);
    expect(lines[0]['error']).toMatchObject({ name: 'Error', message: 'bad thing' });
  });
});
