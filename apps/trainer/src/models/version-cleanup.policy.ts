/** What the cleanup needs to know about one stored version. */
export interface CleanupCandidate {
  version: string;
  createdAt: Date;
  isActive: boolean;
  status: string;
  /** Held-out accuracy recorded at training time; null when unknown. */
  accuracy: number | null;
}

/** The best version: highest recorded accuracy, ties to the newer one; null when none has an accuracy. */
export function bestVersion(versions: readonly CleanupCandidate[]): string | null {
  let best: { version: string; accuracy: number; createdAt: Date } | null = null;
  for (const v of versions) {
    const accuracy = v.accuracy;
    if (v.status === 'archived' || accuracy === null || !Number.isFinite(accuracy)) continue;
    if (!best || accuracy > best.accuracy || (accuracy === best.accuracy && v.createdAt > best.createdAt)) {
      best = { version: v.version, accuracy, createdAt: v.createdAt };
    }
  }
  return best?.version ?? null;
}

/**
 * Versions to archive so that only the newest `keep` remain, never the active one and never the best one
 * (those two are kept on top of `keep`). Already archived versions are ignored.
 */
export function versionsToArchive(versions: readonly CleanupCandidate[], keep: number): string[] {
  if (!Number.isInteger(keep) || keep < 1) throw new RangeError(`keep must be a positive integer, got ${keep}`);
  const live = versions
    .filter((v) => v.status !== 'archived')
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.version < b.version ? 1 : -1));
  const best = bestVersion(live);
  return live
    .slice(keep)
    .filter((v) => !v.isActive && v.version !== best)
    .map((v) => v.version);
}
