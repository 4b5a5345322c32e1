import { ExecutionCounter, ThresholdAction } from './execution-counter';

describe('ExecutionCounter', () => {
  it.each<[string, number, number | null, Array<[number, boolean]>, ThresholdAction[]]>([
    ['one below the threshold', 10, null, [[9, false]], ['none']],
    ['exactly at the threshold', 10, null, [[10, false]], ['retrain']],
    ['crossing in steps', 10, null, [[4, false], [4, false], [4, false]], ['none', 'none', 'retrain']],
    ['fires once per crossing', 10, null, [[10, false], [5, false], [20, false]], ['retrain', 'none', 'none']],
    ['retrain threshold 0 = off', 0, null, [[1_000_000, false]], ['none']],
    ['fine-tune before retrain', 10, 3, [[3, true]], ['fine_tune']],
    ['fine-tune needs an active model / idle strategy', 10, 3, [[3, false], [1, true]], ['none', 'fine_tune']],
    ['retrain wins when both are reached', 10, 3, [[12, true]], ['retrain']],
  ])('%s', (_name, retrain, fineTune, adds, expected) => {
    const c = new ExecutionCounter({ retrain, fineTune });
    expect(adds.map(([n, ok]) => c.add('s1', n, ok))).toEqual(expected);
  });

  it('reset starts counting from zero and re-arms', () => {
    const c = new ExecutionCounter({ retrain: 5, fineTune: null });
    expect(c.add('s1', 5, false)).toBe('retrain');
    c.reset('s1');
    expect(c.count('s1')).toBe(0);
    expect(c.add('s1', 4, false)).toBe('none');
    expect(c.add('s1', 1, false)).toBe('retrain');
  });

  it('counts strategies separately and starts from a seed', () => {
    const c = new ExecutionCounter({ retrain: 5, fineTune: null });
    c.seed('a', 4);
    expect(c.add('a', 1, false)).toBe('retrain');
    expect(c.add('b', 1, false)).toBe('none');
    expect(c.count('b')).toBe(1);
  });

  it('rearm lets the next addition fire again', () => {
    const c = new ExecutionCounter({ retrain: 2, fineTune: null });
    expect(c.add('s', 2, false)).toBe('retrain');
    c.rearm('s');
    expect(c.add('s', 1, false)).toBe('retrain');
  });
});
