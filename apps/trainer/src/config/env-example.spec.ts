import { join } from 'node:path';

import { variablesMissingFromEnvExample } from '@model-service/util/testing';

import { TrainerEnv } from './trainer.env';

describe('.env.example', () => {
  it('lists every variable the trainer reads', () => {
    expect(variablesMissingFromEnvExample(TrainerEnv, join(__dirname, '../../../../.env.example'))).toEqual([]);
  });
});
