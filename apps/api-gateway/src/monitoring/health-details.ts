import { ModelVersionRepository } from '@model-service/repositories';
import { PublicHealth } from '@model-service/util';
import { Injectable, OnModuleInit } from '@nestjs/common';

import { ModelStorage } from '../models/model-storage';

const DETAIL_TIMEOUT_MS = 1_500;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Adds the original service's model_storage ("accessible"/"inaccessible") and active_models (a count)
 * to the public /health. Informational: they never turn it 503. The detailed view with the path and
 * the versions is /api/v1/monitoring/health, behind the key.
 */
@Injectable()
export class HealthDetails implements OnModuleInit {
  constructor(
    private readonly health: PublicHealth,
    private readonly storage: ModelStorage,
    private readonly versions: ModelVersionRepository,
  ) {}

  onModuleInit(): void {
    this.health.registerDetail('model_storage', async () => {
      const status = await withTimeout(this.storage.status(), DETAIL_TIMEOUT_MS);
      return status.exists && status.readable ? 'accessible' : 'inaccessible';
    });
    this.health.registerDetail('active_models', async () => (await withTimeout(this.versions.listActive(), DETAIL_TIMEOUT_MS)).length);
  }
}
