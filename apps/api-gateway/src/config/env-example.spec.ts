import { join } from 'node:path';

import { variablesMissingFromEnvExample } from '@model-service/util/testing';

import { ApiGatewayEnv } from './api-gateway.env';

describe('.env.example', () => {
  it('lists every variable the api-gateway reads', () => {
    expect(variablesMissingFromEnvExample(ApiGatewayEnv, join(__dirname, '../../../../.env.example'))).toEqual([]);
  });
});
