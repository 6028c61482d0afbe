import { describe, expect, it } from 'vitest';
import { isDeviceId, isUuid, newDeviceId, newId } from '../../core/ids.ts';

describe('newId', () => {
  it('makes RFC 9562 version 7 UUIDs carrying the time', () => {
    const id = newId(Date.UTC(2026, 10, 28));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.UTC(2026, 10, 28));
    expect(isUuid(id)).toBe(true);
  });

  it('sorts later ids after earlier ones and never repeats', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => newId(1_700_000_000_000 + i * 1000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(Array.from({ length: 1000 }, () => newId(0))).size).toBe(1000);
  });
});

describe('device ids', () => {
  it.each([
    ['a generated one', newDeviceId(1_732_780_000_000), true],
    ['the original format', 'device_1732780000000_k3j4h5g6f', true],
    ['missing random part', 'device_1732780000000_', false],
    ['not a timestamp', 'device_abc_k3j4h5g6f', false],
    ['other prefix', 'dev_1732780000000_k3j4h5g6f', false],
    ['upper case', 'device_1732780000000_ABCD', false],
  ])('%s', (_name, value, expected) => {
    expect(isDeviceId(value)).toBe(expected);
  });
});

describe('isUuid', () => {
  it.each([
    ['v4', '3b241101-e2bb-4255-8caf-4136c566a962', true],
    ['upper case', '3B241101-E2BB-4255-8CAF-4136C566A962', false],
    ['no dashes', '3b241101e2bb42558caf4136c566a962', false],
  ])('%s', (_name, value, expected) => {
    expect(isUuid(value)).toBe(expected);
  });
});
