import { bestVersion, CleanupCandidate, versionsToArchive } from './version-cleanup.policy';

const T0 = Date.UTC(2026, 0, 1);

/** v1 (oldest) .. vN (newest); overrides by version name. */
function history(n: number, overrides: Record<string, Partial<CleanupCandidate>> = {}): CleanupCandidate[] {
  return Array.from({ length: n }, (_, i) => {
    const version = `v${i + 1}`;
    return { version, createdAt: new Date(T0 + i * 60_000), isActive: false, status: 'candidate', accuracy: 0.6, ...overrides[version] };
  });
}

describe('versionsToArchive', () => {
  it.each<[string, CleanupCandidate[], number, string[]]>([
    ['fewer than keep: nothing', history(3), 5, []],
    ['exactly keep: nothing', history(5), 5, []],
    ['one over keep: the oldest', history(6), 5, ['v1']],
    ['keep 1 of 4', history(4), 1, ['v3', 'v2', 'v1']],
    ['the active old version stays', history(4, { v1: { isActive: true, status: 'active' } }), 2, ['v2']],
    ['the best old version stays', history(4, { v2: { accuracy: 0.9 } }), 2, ['v1']],
    [
      'active and best both kept on top of keep',
      history(5, { v1: { accuracy: 0.95 }, v2: { isActive: true, status: 'active' } }),
      1,
      ['v4', 'v3'],
    ],
    ['archived versions are not counted nor returned', history(4, { v3: { status: 'archived' } }), 2, ['v1']],
  ])('%s', (_name, versions, keep, expected) => {
    expect(versionsToArchive(versions, keep)).toEqual(expected);
  });

  it('keeps the newest 100 of 150 plus the best', () => {
    const versions = history(150, { v7: { accuracy: 0.99 } });
    const archived = versionsToArchive(versions, 100);
    expect(archived).toHaveLength(49);
    expect(archived).not.toContain('v7');
    expect(archived).not.toContain('v51');
    expect(archived).toContain('v50');
  });

  it.each([0, -1, 1.5])('refuses keep = %d', (keep) => {
    expect(() => versionsToArchive(history(2), keep)).toThrow(RangeError);
  });
});

describe('bestVersion', () => {
  it.each<[string, CleanupCandidate[], string | null]>([
    ['highest accuracy', history(3, { v2: { accuracy: 0.8 } }), 'v2'],
    ['tie goes to the newer', history(3), 'v3'],
    ['unknown accuracies ignored', history(2, { v2: { accuracy: null } }), 'v1'],
    ['archived ignored', history(2, { v2: { accuracy: 0.9, status: 'archived' } }), 'v1'],
    ['none known', history(1, { v1: { accuracy: null } }), null],
  ])('%s', (_name, versions, expected) => {
    expect(bestVersion(versions)).toBe(expected);
  });
});
