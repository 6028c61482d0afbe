import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  checkUpdateResponseSchema,
  completionSchema,
  markSyncedRequestSchema,
  mutationEnvelopeSchema,
  mutationHeadersSchema,
  notifyChangeRequestSchema,
  pokeSchema,
  pullQuerySchema,
  pullResponseSchema,
  pushRequestSchema,
  pushResponseSchema,
  settingsSchema,
  storedTaskSchema,
  weightSchema,
} from '../../core/schemas.ts';
import { taskId } from './fixtures.ts';
import { taskRecord } from './stats-fixtures.ts';

const HLC = '000001700000000:000000:device_1700000000000_abcd';
const DEVICE = 'device_1700000000000_abcd';

describe('record schemas', () => {
  it('accepts a task and a task tombstone, keeping every field', () => {
    const task = taskRecord({ n: 1, createdOn: '2026-03-01' });
    expect(v.parse(storedTaskSchema, task)).toEqual(task);
    const tombstone = { id: taskId(1), hlc: HLC, deleted: true };
    expect(v.parse(storedTaskSchema, tombstone)).toEqual(tombstone);
  });

  it.each([
    [
      'a completion keyed by another day',
      completionSchema,
      {
        id: `${taskId(1)}:2026-03-02`,
        taskId: taskId(1),
        date: '2026-03-01',
        status: 'completed',
        points: 5,
        hlc: HLC,
      },
    ],
    [
      'a completion with an unknown status',
      completionSchema,
      {
        id: `${taskId(1)}:2026-03-01`,
        taskId: taskId(1),
        date: '2026-03-01',
        status: 'done',
        points: 5,
        hlc: HLC,
      },
    ],
    [
      'a weight keyed by another day',
      weightSchema,
      { id: '2026-03-02', date: '2026-03-01', value: 80, unit: 'kg', hlc: HLC },
    ],
    [
      'a weight of 2 kg',
      weightSchema,
      { id: '2026-03-01', date: '2026-03-01', value: 2, unit: 'kg', hlc: HLC },
    ],
    [
      'settings with week start 3',
      settingsSchema,
      { id: 'settings', unit: 'kg', weekStart: 3, timeZone: 'UTC', hlc: HLC, clocks: {} },
    ],
    [
      'a record without a clock stamp',
      weightSchema,
      { id: '2026-03-01', date: '2026-03-01', value: 80, unit: 'kg' },
    ],
  ] as const)('rejects %s', (_name, schema, value) => {
    expect(v.safeParse(schema, value).success).toBe(false);
  });

  it('accepts 160 lb but not 160 kg as a plausible weight pair', () => {
    const weight = { id: '2026-03-01', date: '2026-03-01', unit: 'lb', hlc: HLC };
    expect(v.safeParse(weightSchema, { ...weight, value: 160 }).success).toBe(true);
    expect(v.safeParse(weightSchema, { ...weight, value: 1200 }).success).toBe(false);
  });
});

describe('sync messages', () => {
  it('parses a push with an unknown mutation name (rejected later, one by one)', () => {
    const push = { deviceId: DEVICE, mutations: [{ id: 1, name: 'whatever', args: { x: 1 }, hlc: HLC }] };
    expect(v.parse(pushRequestSchema, push)).toEqual(push);
  });

  it.each([
    ['a device id of the wrong shape', { deviceId: 'phone', mutations: [] }],
    ['mutation id 0', { deviceId: DEVICE, mutations: [{ id: 0, name: 'x', args: null, hlc: HLC }] }],
    [
      'a fractional mutation id',
      { deviceId: DEVICE, mutations: [{ id: 1.5, name: 'x', args: null, hlc: HLC }] },
    ],
    ['a bad stamp', { deviceId: DEVICE, mutations: [{ id: 1, name: 'x', args: null, hlc: '12' }] }],
  ])('rejects a push with %s', (_name, push) => {
    expect(v.safeParse(pushRequestSchema, push).success).toBe(false);
  });

  it('reads the pull query from strings', () => {
    expect(v.parse(pullQuerySchema, { since: '42', collections: 'tasks,weights' })).toEqual({
      since: 42,
      collections: ['tasks', 'weights'],
    });
    expect(v.parse(pullQuerySchema, {})).toEqual({ since: 0 });
    expect(v.safeParse(pullQuerySchema, { since: '-1' }).success).toBe(false);
    expect(v.safeParse(pullQuerySchema, { collections: 'tasks,users' }).success).toBe(false);
  });

  it('reads per-mutation headers', () => {
    expect(
      v.parse(mutationHeadersSchema, { 'x-device-id': DEVICE, 'x-mutation-id': '7', 'x-hlc': HLC }),
    ).toEqual({
      'x-device-id': DEVICE,
      'x-mutation-id': 7,
      'x-hlc': HLC,
    });
    expect(
      v.safeParse(mutationHeadersSchema, { 'x-device-id': DEVICE, 'x-mutation-id': '0', 'x-hlc': HLC })
        .success,
    ).toBe(false);
  });

  it.each([
    [
      'push response',
      pushResponseSchema,
      {
        lastMutationId: 3,
        version: 9,
        results: [{ id: 3, status: 'rejected', error: { code: 'TaskNotFound', message: 'gone' } }],
      },
    ],
    [
      'pull response',
      pullResponseSchema,
      { version: 9, changes: { weights: [{ id: '2026-03-01', hlc: HLC, deleted: true }] }, reset: true },
    ],
    ['poke', pokeSchema, { type: 'poke', version: 9, collections: ['tasks'] }],
    [
      'check-update response',
      checkUpdateResponseSchema,
      { needsUpdate: true, lastSync: null, version: 0, collections: [] },
    ],
    ['mark-synced request', markSyncedRequestSchema, { deviceId: DEVICE, version: 4 }],
    ['notify-change request', notifyChangeRequestSchema, { sourceDeviceId: DEVICE }],
    [
      'envelope',
      mutationEnvelopeSchema,
      { id: 1, name: 'logWeight', args: { date: '2026-03-01', value: 80, unit: 'kg' }, hlc: HLC },
    ],
  ] as const)('round-trips a %s', (_name, schema, value) => {
    expect(v.parse(schema, value)).toEqual(value);
  });
});
