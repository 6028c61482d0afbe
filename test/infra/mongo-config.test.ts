// The database a function uses comes from its stage (MONGODB_DB); only local runs have a default.
import { describe, expect, it } from 'vitest';
import { databaseName, LAMBDA_POOL_OPTIONS } from '../../functions/lib/mongo.ts';

describe('database name', () => {
  it('is MONGODB_DB when set, locally and in the cloud', () => {
    expect(databaseName({ MONGODB_DB: 'routine_sync_prod', MONGODB_SECRET_ARN: 'arn:x' })).toBe(
      'routine_sync_prod',
    );
    expect(databaseName({ MONGODB_DB: 'mine', MONGODB_URI: 'mongodb://127.0.0.1' })).toBe('mine');
  });

  it('falls back to the local default only for a local connection string', () => {
    expect(databaseName({ MONGODB_URI: 'mongodb://127.0.0.1' })).toBe('routine_sync');
  });

  it('refuses to guess in the cloud, where two stages on one cluster would share the default', () => {
    expect(() => databaseName({ MONGODB_SECRET_ARN: 'arn:aws:secretsmanager:…' })).toThrow(/MONGODB_DB/);
  });
});

describe('pool options for Lambda', () => {
  it('open nothing ahead of use and drop connections idle longer than a NAT idle timeout (350 s)', () => {
    expect(LAMBDA_POOL_OPTIONS.minPoolSize).toBe(0);
    expect(LAMBDA_POOL_OPTIONS.maxIdleTimeMS).toBeLessThan(350_000);
  });
});
