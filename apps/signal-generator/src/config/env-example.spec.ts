import { join } from 'node:path';

import { envDefaultsDifferingFromEnvExample, variablesMissingFromEnvExample } from '@model-service/util/testing';

import { SignalGeneratorEnv } from './signal-generator.env';

describe('.env.example', () => {
  it('lists every variable the signal-generator reads', () => {
    expect(variablesMissingFromEnvExample(SignalGeneratorEnv, join(__dirname, '../../../../.env.example'))).toEqual([]);
  });

  it('shows the same default as the code for every variable', () => {
    // One line in the shared file, but a default per app (the file's comment names each): the port, the
    // statement timeout, and NODE_ENV (unset in code, "development" suggested for a local .env).
    expect(envDefaultsDifferingFromEnvExample(SignalGeneratorEnv, join(__dirname, '../../../../.env.example'), ['MODEL_SERVICE_PORT', 'DATABASE_STATEMENT_TIMEOUT_MS', 'NODE_ENV', 'POSITION_MANAGER_TIMEOUT_MS'])).toEqual([]);
  });
});
