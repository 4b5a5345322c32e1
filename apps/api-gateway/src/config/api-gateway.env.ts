import { BaseServiceEnv } from '@model-service/util';

/** Environment of the api-gateway app; every variable is listed with its default in .env.example. */
export class ApiGatewayEnv extends BaseServiceEnv {
  override MODEL_SERVICE_PORT = 4700;
}
