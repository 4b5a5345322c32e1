import { passesPromotionRule, PromotionInput } from './promotion-rule';
import { wilsonInterval } from '@model-service/features';

/** Confusion counts of a model that is right on `correct` of `n` rows, split evenly between the classes. */
const counts = (correct: number, n: number, positives = n / 2) => {
  const tp = Math.round(correct / 2);
  const tn = correct - tp;
  return { tp, tn, fn: positives - tp, fp: n - positives - tn };
};

const input = (over: Partial<PromotionInput>): PromotionInput => ({
  candidate: counts(180, 200),
  baseline: { majority_class: 1 },
  threshold: 0.75,
  minValidationRows: 200,
  ...over,
});

describe('wilsonInterval', () => {
  it.each([
    // successes, n, lower, upper (reference values from the closed form)
    [81, 100, 0.7222, 0.8749],
    [25, 30, 0.6644, 0.9266],
    [0, 10, 0, 0.2775],
    [10, 10, 0.7225, 1],
  ])('%s of %s -> [%s, %s]', (k, n, lower, upper) => {
    const i = wilsonInterval(k, n);
    expect(i.lower).toBeCloseTo(lower, 3);
    expect(i.upper).toBeCloseTo(upper, 3);
  });

  it('n = 0 knows nothing: [0, 1]', () => {
    expect(wilsonInterval(0, 0)).toMatchObject({ lower: 0, upper: 1, n: 0 });
  });
});

describe('passesPromotionRule', () => {
  it.each([
    // correct of 200 rows, min rows, promote, the reason that must be reported
    [180, 200, 200, true, '95 % lower bound meets threshold'],
    [160, 200, 200, false, '95 % lower bound below threshold'], // 0.80, lower bound 0.739
    [163, 200, 200, true, '95 % lower bound meets threshold'], // 0.815, lower bound 0.7552
    [162, 200, 200, false, '95 % lower bound below threshold'], // 0.81, lower bound 0.7494: just below
    [180, 200, 201, false, 'validation rows 200 below minimum 201'],
    [180, 200, 200, true, 'validation rows 200 >= minimum 200'], // exactly the minimum
  ])('%s of %s correct, min rows %s -> promote %s', (correct, n, minRows, promote, reason) => {
    const decision = passesPromotionRule(input({ candidate: counts(correct, n), minValidationRows: minRows }));
    expect(decision.promote).toBe(promote);
    expect(decision.reasons.join('\n')).toContain(reason);
  });

  it('a small validation set is refused even at a high accuracy (25 of 30 = 0.833)', () => {
    const decision = passesPromotionRule(input({ candidate: counts(25, 30), minValidationRows: 30 }));
    expect(decision.promote).toBe(false);
    expect(decision.reasons.join('\n')).toContain('accuracy 0.8333 [0.6644, 0.9266] n=30: 95 % lower bound below threshold');
  });

  it('must beat the majority baseline where they disagree, not only match it', () => {
    // 85 % positives: always predicting 1 is right on 170 of 200; a model that does so is refused.
    const always1 = { tp: 170, fn: 0, tn: 0, fp: 30 };
    const refused = passesPromotionRule(input({ candidate: always1 }));
    expect(refused.promote).toBe(false);
    expect(refused.reasons.join('\n')).toContain('does not beat baseline 0.8500');
    // Right on 20 of the 30 negatives, wrong on 5 positives: 25 disagreements won 20:5.
    const better = passesPromotionRule(input({ candidate: { tp: 165, fn: 5, tn: 20, fp: 10 } }));
    expect(better.reasons.join('\n')).toContain('beats baseline 0.8500 [0.7939, 0.8929] n=200: right on 20 of the 25 rows');
    expect(better.promote).toBe(true);
  });

  it.each([
    [180, 175, true, 'beats active 0.8750'],
    [180, 180, false, 'does not beat active 0.9000'], // equal is not better
    [180, 185, false, 'does not beat active 0.9250'],
  ])('candidate %s vs active %s correct of 200 -> promote %s', (cand, act, promote, reason) => {
    const decision = passesPromotionRule(input({ candidate: counts(cand, 200), active: counts(act, 200) }));
    expect(decision.promote).toBe(promote);
    expect(decision.reasons.join('\n')).toContain(reason);
  });

  it('reports every failed check at once, with intervals', () => {
    const decision = passesPromotionRule(input({ candidate: counts(100, 120), active: counts(110, 120), minValidationRows: 200 }));
    expect(decision.promote).toBe(false);
    expect(decision.reasons).toEqual([
      'validation rows 120 below minimum 200',
      'accuracy 0.8333 [0.7565, 0.8894] n=120: 95 % lower bound meets threshold 0.7500',
      expect.stringMatching(/^beats baseline 0\.5000 \[0\.4\d{3}, 0\.5\d{3}\] n=120: right on 50 of the 60 rows/),
      'does not beat active 0.9167 [0.8534, 0.9541] n=120 on the same rows',
    ]);
  });
});
