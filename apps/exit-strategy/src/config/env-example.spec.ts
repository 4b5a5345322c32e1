import { join } from 'node:path';

import { variablesMissingFromEnvExample } from '@model-service/util/testing';

import { ExitStrategyEnv } from './exit-strategy.env';

describe('.env.example', () => {
  it('lists every variable the exit-strategy reads', () => {
    expect(variablesMissingFromEnvExample(ExitStrategyEnv, join(__dirname, '../../../../.env.example'))).toEqual([]);
  });
});
