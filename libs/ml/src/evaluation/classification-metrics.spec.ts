import { classificationMetrics, rocAuc } from './classification-metrics';

describe('rocAuc', () => {
  it.each([
    // name, labels, scores, expected (hand-computed: share of (positive, negative) pairs ordered right, ties half)
    ['perfect ranking', [0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9], 1],
    ['inverted ranking', [1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9], 0],
    ['all scores tied', [0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5], 0.5],
    // pairs (p, n): (0.8,0.1)=1 (0.8,0.4)=1 (0.4,0.1)=1 (0.4,0.4)=0.5 -> 3.5 / 4
    ['tie across classes', [0, 0, 1, 1], [0.1, 0.4, 0.4, 0.8], 0.875],
    // positives 0.35, 0.8; negatives 0.1, 0.4, 0.35 -> (1 + 0 + 0.5) + (1 + 1 + 1) = 4.5 / 6
    ['mixed with one tie', [0, 0, 1, 0, 1], [0.1, 0.4, 0.35, 0.35, 0.8], 0.75],
  ])('%s', (_name, labels, scores, expected) => {
    expect(rocAuc(labels, scores)).toBeCloseTo(expected, 12);
  });

  it.each([
    ['all positive', [1, 1, 1]],
    ['all negative', [0, 0, 0]],
    ['empty', []],
  ])('is null (undefined) when %s', (_name, labels) => {
    expect(rocAuc(labels, labels.map(() => 0.3))).toBeNull();
  });

  it('refuses arrays of different length', () => {
    expect(() => rocAuc([0, 1], [0.5])).toThrow(RangeError);
  });
});

describe('classificationMetrics', () => {
  // labels:      1    1    0    0    1    0
  // prob:       0.9  0.6  0.5  0.2  0.4  0.7   threshold 0.5 -> predicted 1 1 1 0 0 1
  // tp=2 (0.9, 0.6), fp=2 (0.5 exactly at threshold, 0.7), tn=1 (0.2), fn=1 (0.4)
  const labels = [1, 1, 0, 0, 1, 0];
  const prob = [0.9, 0.6, 0.5, 0.2, 0.4, 0.7];

  it('computes every metric on a hand-checked case (prob == threshold counts as positive)', () => {
    const m = classificationMetrics(labels, prob, 0.5);
    expect({ tp: m.tp, fp: m.fp, tn: m.tn, fn: m.fn, n: m.n }).toEqual({ tp: 2, fp: 2, tn: 1, fn: 1, n: 6 });
    expect(m.accuracy).toBeCloseTo(3 / 6, 12);
    expect(m.precision).toBeCloseTo(2 / 4, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.f1).toBeCloseTo((2 * 0.5 * (2 / 3)) / (0.5 + 2 / 3), 12);
    expect(m.balanced_accuracy).toBeCloseTo((2 / 3 + 1 / 3) / 2, 12);
    // positives 0.9 0.6 0.4 vs negatives 0.5 0.2 0.7: 0.9->3, 0.6->2, 0.4->1 = 6/9
    expect(m.roc_auc).toBeCloseTo(6 / 9, 12);
    const brier = (0.01 + 0.16 + 0.25 + 0.04 + 0.36 + 0.49) / 6;
    expect(m.brier).toBeCloseTo(brier, 12);
  });

  it.each([
    // threshold, expected accuracy: just above 0.5 moves the 0.5 row to negative (correct), at 0.6 still positive
    [0.5, 3 / 6],
    [0.5000001, 4 / 6],
    [0.6, 4 / 6],
    [0.6000001, 3 / 6],
  ])('threshold %s gives accuracy %s', (threshold, accuracy) => {
    expect(classificationMetrics(labels, prob, threshold).accuracy).toBeCloseTo(accuracy, 12);
  });

  it.each([
    {
      name: 'all one class, all predicted right',
      labels: [1, 1, 1],
      prob: [0.9, 0.8, 0.7],
      expected: { accuracy: 1, balanced_accuracy: 1, precision: 1, recall: 1, f1: 1, roc_auc: null },
    },
    {
      name: 'all negative, nothing predicted positive (no division by zero)',
      labels: [0, 0],
      prob: [0.1, 0.2],
      expected: { accuracy: 1, balanced_accuracy: 1, precision: 0, recall: 0, f1: 0, roc_auc: null },
    },
    {
      name: 'everything predicted positive on a balanced set',
      labels: [1, 0, 1, 0],
      prob: [0.9, 0.9, 0.9, 0.9],
      expected: { accuracy: 0.5, balanced_accuracy: 0.5, precision: 0.5, recall: 1, f1: 2 / 3, roc_auc: 0.5 },
    },
    {
      name: 'no rows',
      labels: [],
      prob: [],
      expected: { accuracy: 0, balanced_accuracy: 0, precision: 0, recall: 0, f1: 0, roc_auc: null },
    },
  ])('$name', ({ labels: y, prob: p, expected }) => {
    const m = classificationMetrics(y, p);
    for (const [key, value] of Object.entries(expected)) {
      if (value === null) expect(m[key as keyof typeof m]).toBeNull();
      else expect(m[key as keyof typeof m]).toBeCloseTo(value, 12);
    }
  });

  it('rejects labels other than 0/1', () => {
    expect(() => classificationMetrics([0, 2], [0.1, 0.2])).toThrow(/label at 1 is 2/);
  });
});
