// The MongoDB connection string from its Secrets Manager value: bare URI or {"uri": …}, and errors
// that never repeat the value (it holds the database password, and errors are logged).
import { describe, expect, it } from 'vitest';
import { parseMongoSecret } from '../../functions/lib/mongo-uri.ts';

const URI = 'mongodb+srv://app:s3cret-password@cluster0.example.mongodb.net/routine';

describe('parseMongoSecret', () => {
  it('accepts the bare URI or JSON with a uri field', () => {
    expect(parseMongoSecret('arn:secret', `  ${URI}\n`)).toBe(URI);
    expect(parseMongoSecret('arn:secret', JSON.stringify({ uri: URI }))).toBe(URI);
  });

  it('refuses an empty, malformed or uri-less secret without quoting it', () => {
    const malformed = `{"uri": "${URI}"`;
    const cases = [undefined, '  ', malformed, JSON.stringify({ url: URI }), JSON.stringify({ uri: 42 })];
    for (const value of cases) {
      let message = '';
      try {
        parseMongoSecret('arn:secret', value);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message, String(value)).toMatch(/^Secret arn:secret /);
      expect(message).not.toMatch(/s3cret|mongodb\+srv|cluster0/);
    }
  });
});
