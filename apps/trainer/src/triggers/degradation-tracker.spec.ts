import { DegradationTracker, QualityAction } from './degradation-tracker';

type Step = boolean | 'run_finished';

describe('DegradationTracker', () => {
  it.each<[string, Step[], QualityAction[]]>([
    ['healthy checks do nothing', [false, false], ['none', 'none']],
    ['first breach retrains', [true], ['retrain']],
    ['breaches while retraining wait', [true, true, true], ['retrain', 'none', 'none']],
    ['still breached after the retraining finished → rollback', [true, 'run_finished', true], ['retrain', 'rollback']],
    ['recovered after retraining → nothing more', [true, 'run_finished', false, true], ['retrain', 'none', 'retrain']],
    ['after a rollback the next breach retrains again', [true, 'run_finished', true, true], ['retrain', 'rollback', 'retrain']],
    ['a run finishing while healthy changes nothing', ['run_finished', true], ['retrain']],
  ])('%s', (_name, steps, expected) => {
    const t = new DegradationTracker();
    const actions: QualityAction[] = [];
    for (const step of steps) {
      if (step === 'run_finished') t.runFinished('s');
      else actions.push(t.observe('s', step));
    }
    expect(actions).toEqual(expected);
  });

  it('tracks strategies independently', () => {
    const t = new DegradationTracker();
    expect(t.observe('a', true)).toBe('retrain');
    expect(t.observe('b', true)).toBe('retrain');
    t.runFinished('a');
    expect(t.observe('a', true)).toBe('rollback');
    expect(t.observe('b', true)).toBe('none');
  });

  it('retrainFailed lets the next breach retrain', () => {
    const t = new DegradationTracker();
    expect(t.observe('a', true)).toBe('retrain');
    t.retrainFailed('a');
    expect(t.observe('a', true)).toBe('retrain');
  });
});
