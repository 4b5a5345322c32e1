import { passesPromotionRule } from './promotion-rule';

describe('passesPromotionRule', () => {
  const threshold = 0.75;

  it.each([
    // candidate, baseline, active, promote, the reason that must be reported
    [0.8, 0.6, undefined, true, 'no active model'],
    [0.75, 0.6, undefined, true, 'meets threshold'], // exactly at the threshold
    [0.7499, 0.6, undefined, false, 'below threshold'], // just below
    [0.75 - 1e-12, 0.6, undefined, true, 'meets threshold'], // float noise is not a refusal
    [0.76, 0.76, undefined, false, 'does not beat baseline'], // equal to the baseline is not better
    [0.7601, 0.76, undefined, true, 'beats baseline'],
    [0.8, 0.6, 0.8, true, 'no worse than active'], // equal to the active model
    [0.8, 0.6, 0.8001, false, 'worse than active'], // just worse
    [0.9, 0.6, 0.85, true, 'no worse than active'],
    [0.52, 0.51, undefined, false, 'below threshold'], // pure-noise model barely above the baseline
    [NaN, 0.5, undefined, false, 'candidate accuracy is NaN'],
  ])('candidate %s vs baseline %s, active %s -> promote %s', (candidate, baseline, active, promote, reason) => {
    const decision = passesPromotionRule({
      candidate: { accuracy: candidate },
      baseline: { accuracy: baseline },
      active: active === undefined ? undefined : { accuracy: active },
      threshold,
    });
    expect(decision.promote).toBe(promote);
    expect(decision.reasons.join('\n')).toContain(reason);
  });

  it('reports every failed check at once', () => {
    const decision = passesPromotionRule({ candidate: { accuracy: 0.5 }, baseline: { accuracy: 0.55 }, active: { accuracy: 0.8 }, threshold });
    expect(decision.promote).toBe(false);
    expect(decision.reasons).toEqual([
      'accuracy 0.5000 below threshold 0.7500',
      'accuracy 0.5000 does not beat baseline 0.5500',
      'accuracy 0.5000 worse than active 0.8000',
    ]);
  });
});
