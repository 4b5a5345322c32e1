import { BaseServiceEnv } from '@model-service/util';

/** Environment of the exchange-simulator app; every variable is listed with its default in .env.example. */
export class ExchangeSimulatorEnv extends BaseServiceEnv {
  override MODEL_SERVICE_PORT = 4704;
}
