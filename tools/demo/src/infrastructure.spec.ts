import { ensureInfrastructure, InfrastructureError, onStandardPort, postgresProblem, rabbitProblem } from './infrastructure';

describe('infrastructure checks', () => {
  it.each([
    ['postgres://p@127.0.0.1:5432/db', 5432, true],
    ['postgres://p@localhost/db', 5432, true],
    ['postgres://p@127.0.0.1:5999/db', 5432, false],
    ['postgres://p@db.example.com:5432/db', 5432, false],
    ['amqp://g:g@127.0.0.1:5672', 5672, true],
  ])('%s is served by a local server on its standard port: %s', (url, port, expected) => {
    expect(onStandardPort(url, port, 'NO_SUCH_PORT_VARIABLE')).toBe(expected);
  });

  it('reports why a server does not answer', async () => {
    expect(await postgresProblem('postgres://postgres@127.0.0.2:1/x', 1_000)).toMatch(/ECONNREFUSED|terminated|timeout/i);
    expect(await rabbitProblem('amqp://guest:guest@127.0.0.2:1', 1_000)).toMatch(/ECONNREFUSED/);
  });

  it('stops with one message saying what to install when neither server can be reached or started', async () => {
    const lines: string[] = [];
    const attempt = ensureInfrastructure('postgres://postgres@127.0.0.2:1/x', 'amqp://guest:guest@127.0.0.2:1', false, (l) => lines.push(l));
    await expect(attempt).rejects.toThrow(InfrastructureError);
    await expect(
      ensureInfrastructure('postgres://postgres@127.0.0.2:1/x', 'amqp://guest:guest@127.0.0.2:1', false, () => undefined),
    ).rejects.toThrow(/PostgreSQL is not reachable at postgres:\/\/postgres@127\.0\.0\.2:1\/x .*apt-get install postgresql.*; RabbitMQ is not reachable .*apt-get install rabbitmq-server/);
    expect(lines).toEqual([]);
  });
});
