import { access, readdir, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join, resolve, sep } from 'node:path';

export interface ModelStorageStatus {
  path: string;
  exists: boolean;
  readable: boolean;
  /** Sub-directories (one per model version) found, when readable. */
  versions_on_disk: number | null;
}

/** Read-only view of MODEL_STORAGE_PATH (one directory per model version, written by the trainer). */
export class ModelStorage {
  readonly root: string;

  constructor(path: string) {
    this.root = resolve(path);
  }

  async status(): Promise<ModelStorageStatus> {
    const exists = await isDirectory(this.root);
    let readable = false;
    let versions: number | null = null;
    if (exists) {
      try {
        await access(this.root, constants.R_OK);
        const entries = await readdir(this.root, { withFileTypes: true });
        versions = entries.filter((e) => e.isDirectory()).length;
        readable = true;
      } catch {
        readable = false;
      }
    }
    return { path: this.root, exists, readable, versions_on_disk: versions };
  }

  /**
   * Whether the version's directory exists: true / false, or null when the store itself is not there
   * (this process has no model volume mounted), so nothing can be said.
   */
  async hasVersion(version: string): Promise<boolean | null> {
    if (!(await isDirectory(this.root))) return null;
    const dir = resolve(join(this.root, version));
    if (!dir.startsWith(this.root + sep)) return false;
    return isDirectory(dir);
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
