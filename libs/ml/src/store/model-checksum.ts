import { createHash } from 'node:crypto';

import { MODEL_FILES } from './model-store.types';

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The combined checksum recorded in metadata.json: sha256 over "name hash" lines in MODEL_FILES order. */
export function combinedChecksum(files: Record<string, string>): string {
  return sha256(MODEL_FILES.map((name) => `${name} ${files[name] ?? ''}\n`).join(''));
}
