import { buildTrainingCopySql, matchingLayout } from './training-rows.copy';

describe('buildTrainingCopySql', () => {
  const paths = [['price'], ['depth', "it's"]];

  it('inlines the query values as escaped literals (COPY takes no bind parameters)', () => {
    const sql = buildTrainingCopySql({ strategyId: "x' OR '1'='1", from: new Date('2026-01-02T03:04:05.678Z') }, paths, null);
    expect(sql).toContain(`ts.strategy_id = 'x'' OR ''1''=''1'`);
    expect(sql).toContain(`ts."timestamp" >= '2026-01-02T03:04:05.678Z'::timestamptz`);
    expect(sql).toContain(`-> 'depth' -> 'it''s'`);
    expect(sql).toContain('NULL::bytea AS v');
    const backslash = buildTrainingCopySql({ strategyId: 'a\\b' }, paths, null);
    expect(backslash).toContain(`ts.strategy_id =  E'a\\\\b'`);
  });

  it('refuses a time bound that is not a valid Date', () => {
    expect(() => buildTrainingCopySql({ to: new Date('nope') }, paths, null)).toThrow(RangeError);
  });

  it('reads the stored values only when the column layout is exactly the paths asked for', () => {
    const layout = JSON.stringify({ paths, types: ['float8', 'boolean'] });
    expect(matchingLayout(layout, paths)).toEqual({ paths, types: ['float8', 'boolean'] });
    expect(buildTrainingCopySql({}, paths, matchingLayout(layout, paths))).toContain('ts.snapshot_feature_values AS v');
    expect(matchingLayout(layout, [['price']])).toBeNull();
    expect(matchingLayout(layout, [['depth', "it's"], ['price']])).toBeNull();
    expect(matchingLayout(JSON.stringify({ paths, types: ['float8'] }), paths)).toBeNull();
    expect(matchingLayout(JSON.stringify({ paths, types: ['float8', 'text'] }), paths)).toBeNull();
    expect(matchingLayout('not json', paths)).toBeNull();
    expect(matchingLayout(null, paths)).toBeNull();
  });
});
