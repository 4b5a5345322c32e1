import { BaseServiceEnv } from '@model-service/util';

/** Environment of the exit-strategy app; every variable is listed with its default in .env.example. */
export class ExitStrategyEnv extends BaseServiceEnv {
  override MODEL_SERVICE_PORT = 4703;
}
