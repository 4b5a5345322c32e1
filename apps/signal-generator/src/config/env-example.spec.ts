import { join } from 'node:path';

import { variablesMissingFromEnvExample } from '@model-service/util/testing';

import { SignalGeneratorEnv } from './signal-generator.env';

describe('.env.example', () => {
  it('lists every variable the signal-generator reads', () => {
    expect(variablesMissingFromEnvExample(SignalGeneratorEnv, join(__dirname, '../../../../.env.example'))).toEqual([]);
  });
});
