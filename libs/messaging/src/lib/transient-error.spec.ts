import { PublishError } from './publisher';
import { isTransientError } from './transient-error';

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('isTransientError', () => {
  it.each([
    ['ECONNREFUSED', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['ECONNRESET', withCode('read ECONNRESET', 'ECONNRESET')],
    ['pg: terminated', new Error('Connection terminated unexpectedly')],
    ['pg: admin shutdown 57P01', withCode('terminating connection due to administrator command', '57P01')],
    ['pg: crash shutdown 57P02', withCode('x', '57P02')],
    ['pg: cannot connect now 57P03', withCode('the database system is starting up', '57P03')],
    ['SQLSTATE 08006', withCode('connection failure', '08006')],
    ['SQLSTATE 08001', withCode('x', '08001')],
    ['pool timeout', new Error('timeout exceeded when trying to connect')],
    ['query read timeout', new Error('Query read timeout')],
    ['amqp channel closed', new Error('Channel closed')],
    ['amqp channel ended', new Error('Channel ended, no reply will be forthcoming')],
    ['typeorm driverError', Object.assign(new Error('query failed'), { driverError: withCode('x', '57P01') })],
    ['cause chain', new PublishError('q', 4, new Error('Channel closed'))],
    ['aggregate', new AggregateError([new Error('bad'), withCode('x', 'ECONNREFUSED')])],
  ])('%s is transient', (_label, err) => {
    expect(isTransientError(err)).toBe(true);
  });

  it.each([
    ['validation', new Error('amount must be positive')],
    ['unique violation 23505', withCode('duplicate key value violates unique constraint', '23505')],
    ['value too long 22001', withCode('value too long for type character varying(100)', '22001')],
    ['a field named timeout_ms', new Error('timeout_ms must be a number')],
    ['statement timeout is the statement, not the server', withCode('canceling statement due to statement timeout', '57014')],
    ['null', null],
    ['undefined', undefined],
    ['number', 42],
    ['self-referencing cause', (() => { const e = new Error('bad') as Error & { cause?: unknown }; e.cause = e; return e; })()],
  ])('%s is not transient', (_label, err) => {
    expect(isTransientError(err)).toBe(false);
  });
});
