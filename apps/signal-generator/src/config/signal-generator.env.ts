import { BaseServiceEnv } from '@model-service/util';

/** Environment of the signal-generator app; every variable is listed with its default in .env.example. */
export class SignalGeneratorEnv extends BaseServiceEnv {
  override MODEL_SERVICE_PORT = 4701;
}
