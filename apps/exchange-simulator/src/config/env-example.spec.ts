import { join } from 'node:path';

import { variablesMissingFromEnvExample } from '@model-service/util/testing';

import { ExchangeSimulatorEnv } from './exchange-simulator.env';

describe('.env.example', () => {
  it('lists every variable the exchange-simulator reads', () => {
    expect(variablesMissingFromEnvExample(ExchangeSimulatorEnv, join(__dirname, '../../../../.env.example'))).toEqual([]);
  });
});
