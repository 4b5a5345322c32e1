import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { ActiveVersionRef, ModelRefusedError, versionDir } from './model-loader';

describe('versionDir: a model is only ever read from inside the model store', () => {
  let root: string;
  let store: string;
  let outside: string;

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'sg-versiondir-'));
    store = path.join(root, 'store');
    outside = path.join(root, 'elsewhere', 'v9');
    mkdirSync(store);
    mkdirSync(outside, { recursive: true });
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const ref = (version: string, filePath: string | null): ActiveVersionRef => ({ version, strategyId: 's', featureSetVersion: null, checksum: null, filePath });

  function refusal(fn: () => unknown): string {
    try {
      fn();
    } catch (err) {
      if (err instanceof ModelRefusedError) return err.reason;
      throw err;
    }
    return 'accepted';
  }

  it('uses MODEL_STORAGE_PATH/{version} when it exists, whatever file_path says', () => {
    mkdirSync(path.join(store, 'v1'));
    expect(versionDir(store, ref('v1', outside))).toBe(path.join(store, 'v1'));
  });

  it('falls back to file_path only inside the store', () => {
    const nested = path.join(store, 'strategies', 's', 'v2');
    mkdirSync(nested, { recursive: true });
    expect(versionDir(store, ref('v2', nested))).toBe(nested);
  });

  it('refuses a file_path outside the store, also through a relative path or a symlink inside the store', () => {
    expect(refusal(() => versionDir(store, ref('v3', outside)))).toBe('outside_model_store');
    expect(refusal(() => versionDir(store, ref('v3', path.join(store, '..', 'elsewhere', 'v9'))))).toBe('outside_model_store');
    symlinkSync(outside, path.join(store, 'link'));
    expect(refusal(() => versionDir(store, ref('v3', path.join(store, 'link'))))).toBe('outside_model_store');
  });

  it('refuses version names that would leave the store', () => {
    for (const version of ['..', '.', '../elsewhere', 'a/b', '']) expect(refusal(() => versionDir(store, ref(version, null)))).toBe('bad_version_name');
  });
});
