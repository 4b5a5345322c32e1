import { BaseServiceEnv } from '@model-service/util';

/** Environment of the trainer app; every variable is listed with its default in .env.example. */
export class TrainerEnv extends BaseServiceEnv {
  override MODEL_SERVICE_PORT = 4702;
}
