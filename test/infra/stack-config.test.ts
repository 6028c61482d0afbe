// Deploy-time settings that would break a promise the app makes are refused at synth, with the reason.
import { describe, expect, it } from 'vitest';
import { REVOCATION_BOUND_SECONDS } from '../../infra/authorizer-cache.ts';
import { parseStackConfig } from '../../infra/cloud/stack-config.ts';

describe('authorizerCacheSeconds', () => {
  it.each([
    ['no cache', 0],
    ['the revocation bound itself', REVOCATION_BOUND_SECONDS],
    ['a number given as text on the command line', String(REVOCATION_BOUND_SECONDS)],
  ])('accepts %s', (_name, value) => {
    expect(parseStackConfig({ authorizerCacheSeconds: value }).authorizerCacheSeconds).toBe(Number(value));
  });

  it.each([
    ['a second past the revocation bound', REVOCATION_BOUND_SECONDS + 1],
    ["API Gateway's own maximum", 3600],
    ['a fraction (API Gateway takes whole seconds)', 2.5],
    ['a negative number', -1],
    ['text that is not a number', 'five'],
  ])('refuses %s, naming the setting and the bound', (_name, value) => {
    expect(() => parseStackConfig({ authorizerCacheSeconds: value })).toThrow(
      new RegExp(`authorizerCacheSeconds: .*0 to ${REVOCATION_BOUND_SECONDS}`),
    );
  });
});
