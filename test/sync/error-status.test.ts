// The one table from a domain error code to its HTTP status, shared by the error mapper and the
// per-mutation endpoints that answer a recorded rejection.
import { describe, expect, it } from 'vitest';
import { DOMAIN_ERROR_CODES, DomainError } from '../../core/errors.ts';
import { mapError, statusOf } from '../../functions/lib/errors.ts';

describe('statusOf', () => {
  it.each([
    ['TaskNotFound', 404],
    ['TaskArchived', 409],
    ['InvalidArgs', 400],
  ])('%s → %d', (code, status) => {
    expect(statusOf(code)).toBe(status);
  });

  it('answers 400 for a code it does not know (a rejection recorded by an older version)', () => {
    expect(statusOf('SomethingRetired')).toBe(400);
    expect(statusOf('toString')).toBe(400);
  });

  it('is what the mapper answers for every domain error', () => {
    for (const code of Object.values(DOMAIN_ERROR_CODES))
      expect(mapError(new DomainError(code, 'x'), 'req').status, code).toBe(statusOf(code));
  });
});
