import { ModelVersionRepository } from '@model-service/repositories';
import { HealthRegistry } from '@model-service/util';
import { Injectable, OnModuleInit } from '@nestjs/common';

import { iso } from '../common/iso';
import { ModelStorage } from '../models/model-storage';

const INFO_TIMEOUT_MS = 1_500;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Adds model_storage and active_models to /health's details (informational: they never turn it 503). */
@Injectable()
export class HealthDetails implements OnModuleInit {
  constructor(
    private readonly health: HealthRegistry,
    private readonly storage: ModelStorage,
    private readonly versions: ModelVersionRepository,
  ) {}

  onModuleInit(): void {
    this.health.registerInfo('model_storage', () => withTimeout(this.storage.status(), INFO_TIMEOUT_MS));
    this.health.registerInfo('active_models', async () => {
      const active = await withTimeout(this.versions.listActive(), INFO_TIMEOUT_MS);
      return { count: active.length, models: active.map((m) => ({ strategy_id: m.strategyId, version: m.version, activated_at: iso(m.activatedAt) })) };
    });
  }
}
