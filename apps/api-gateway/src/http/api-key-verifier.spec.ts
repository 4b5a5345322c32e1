import { apiKeyId, ApiKeyVerifier, parseApiKeys } from './api-key-verifier';

describe('parseApiKeys', () => {
  it.each([
    [undefined, []],
    ['', []],
    ['one', ['one']],
    [' one , two ,,', ['one', 'two']],
  ])('%j -> %j', (raw, keys) => {
    expect(parseApiKeys(raw)).toEqual(keys);
  });
});

describe('ApiKeyVerifier', () => {
  const verifier = new ApiKeyVerifier(['alpha-key-123456', 'beta-key-654321']);

  it.each([
    ['alpha-key-123456', apiKeyId('alpha-key-123456')],
    ['beta-key-654321', apiKeyId('beta-key-654321')],
    [undefined, null],
    ['', null],
    ['alpha-key-12345', null],
    ['alpha-key-1234567', null],
    ['ALPHA-KEY-123456', null],
    [' alpha-key-123456', null],
    ['x'.repeat(5000), null],
  ])('%j -> %j', (presented, expected) => {
    expect(verifier.verify(presented)).toBe(expected);
  });

  it('is disabled without keys and then matches nothing', () => {
    const none = new ApiKeyVerifier([]);
    expect(none.enabled).toBe(false);
    expect(none.verify('anything')).toBeNull();
  });

  it('names keys without revealing them', () => {
    const id = apiKeyId('alpha-key-123456');
    expect(id).toMatch(/^key_[0-9a-f]{12}$/);
    expect(id).not.toContain('alpha');
    expect(apiKeyId('beta-key-654321')).not.toBe(id);
  });
});
