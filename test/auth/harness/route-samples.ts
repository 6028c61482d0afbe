// A valid request for each route of the table, built from a user's fixture, plus what another user
// must get when sending it with the owner's ids. The cross-user and fuzz suites iterate the route
// table and take the sample by function name; a route without a sample still runs there on a
// generic probe (every plausible place for a device, task or date id filled with the owner's).
import { randomUUID } from 'node:crypto';
import { formatHlc } from '../../../core/hlc.ts';
import { newDeviceId, newId } from '../../../core/ids.ts';
import type { HttpRoute } from '../../../infra/routes.ts';
import type { RouteRequest } from './route-caller.ts';

export interface Fixture {
  deviceId: string;
  taskId: string;
  /** A local date the fixture's records use. */
  date: string;
  /** Text planted in the owner's records (titles) so that a leak can be spotted in any response. */
  marker: string;
  /** Next mutation id per device: ids are consecutive per device. */
  mutationIds: Map<string, number>;
  /** The owner's password, for the routes that ask for it again ('' when the test has none). */
  password: string;
}

export function newFixture(label: string): Fixture {
  const tag = randomUUID().slice(0, 8);
  return {
    deviceId: newDeviceId(),
    taskId: newId(),
    date: '2026-03-02',
    marker: `marker-${label}-${tag}`,
    mutationIds: new Map(),
    password: '',
  };
}

/** The owner's ids with another device (of the caller): "act on their records from my device". */
export function withDevice(fx: Fixture, deviceId: string): Fixture {
  return { ...fx, deviceId, mutationIds: new Map() };
}

export function nextMutation(fx: Fixture): { id: number; hlc: string } {
  const id = (fx.mutationIds.get(fx.deviceId) ?? 0) + 1;
  fx.mutationIds.set(fx.deviceId, id);
  return { id, hlc: formatHlc({ wallMs: Date.now(), counter: id, deviceId: fx.deviceId }) };
}

/**
 * `refused`: another user sending the owner's record ids gets 403 or 404.
 * `own-scope`: the request only ever reads or writes the caller's own data, so it may succeed.
 */
export type OthersRecords = 'refused' | 'own-scope';

export interface RouteSample {
  request(fx: Fixture): RouteRequest;
  othersRecords: OthersRecords;
  /** The request names a device: with the owner's device id, another user gets 403. */
  namesDevice: boolean;
  /** Ends the caller's session or changes the account: run on a user of its own, never while seeding. */
  endsSession?: boolean;
}

const sample = (s: RouteSample): RouteSample => s;

/** A per-mutation endpoint: the envelope's metadata in headers, the arguments as the body. */
function mutationRequest(fx: Fixture, args: Record<string, unknown>, date = fx.date): RouteRequest {
  const { id, hlc } = nextMutation(fx);
  return {
    headers: { 'x-device-id': fx.deviceId, 'x-mutation-id': String(id), 'x-hlc': hlc },
    body: args,
    pathParameters: { id: fx.taskId, taskId: fx.taskId, date },
  };
}

const taskArgs = (fx: Fixture) => ({
  id: fx.taskId,
  title: `Stretch ${fx.marker}`,
  points: 3,
  weekdays: [0, 1, 2, 3, 4, 5, 6],
  createdOn: '2026-03-01',
  order: 1,
});

/** In seeding order: a later sample may rely on what an earlier one created. */
export const ROUTE_SAMPLES: Record<string, RouteSample> = {
  'auth-me': sample({ request: () => ({}), othersRecords: 'own-scope', namesDevice: false }),
  'sync-check-update': sample({
    request: (fx) => ({ query: { deviceId: fx.deviceId } }),
    othersRecords: 'own-scope',
    namesDevice: true,
  }),
  'sync-ws-ticket': sample({
    request: (fx) => ({ body: { deviceId: fx.deviceId } }),
    othersRecords: 'own-scope',
    namesDevice: true,
  }),
  'tasks-create': sample({
    request: (fx) => mutationRequest(fx, taskArgs(fx)),
    othersRecords: 'own-scope',
    namesDevice: true,
  }),
  'tasks-edit': sample({
    request: (fx) => mutationRequest(fx, { id: fx.taskId, title: `Stretch more ${fx.marker}` }),
    othersRecords: 'refused',
    namesDevice: true,
  }),
  'tasks-reorder': sample({
    request: (fx) => mutationRequest(fx, { ids: [fx.taskId] }),
    othersRecords: 'refused',
    namesDevice: true,
  }),
  'tasks-skip': sample({
    request: (fx) => mutationRequest(fx, { taskId: fx.taskId, date: fx.date }),
    othersRecords: 'refused',
    namesDevice: true,
  }),
  'tasks-uncomplete': sample({
    request: (fx) => mutationRequest(fx, { taskId: fx.taskId, date: fx.date }),
    othersRecords: 'refused',
    namesDevice: true,
  }),
  'tasks-complete': sample({
    request: (fx) => mutationRequest(fx, { taskId: fx.taskId, date: fx.date, points: 3 }),
    othersRecords: 'refused',
    namesDevice: true,
  }),
  'tasks-archive': sample({
    request: (fx) => mutationRequest(fx, { id: fx.taskId, date: '2026-03-05' }),
    othersRecords: 'refused',
    namesDevice: true,
  }),
  'weights-delete': sample({
    request: (fx) => mutationRequest(fx, { date: '2026-02-27' }, '2026-02-27'),
    othersRecords: 'own-scope',
    namesDevice: true,
  }),
  'weights-put': sample({
    request: (fx) => mutationRequest(fx, { date: fx.date, value: 71.3, unit: 'kg' }),
    othersRecords: 'own-scope',
    namesDevice: true,
  }),
  'settings-put': sample({
    request: (fx) => mutationRequest(fx, { unit: 'kg', weekStart: 1, timeZone: 'Europe/Paris' }),
    othersRecords: 'own-scope',
    namesDevice: true,
  }),
  'sync-push': sample({
    request: (fx) => {
      const { id, hlc } = nextMutation(fx);
      const args = {
        id: newId(),
        title: `Read ${fx.marker}`,
        points: 1,
        weekdays: [1],
        createdOn: fx.date,
        order: 2,
      };
      return { body: { deviceId: fx.deviceId, mutations: [{ id, name: 'createTask', args, hlc }] } };
    },
    othersRecords: 'own-scope',
    namesDevice: true,
  }),
  'sync-mark-update': sample({
    request: (fx) => ({ body: { deviceId: fx.deviceId } }),
    othersRecords: 'own-scope',
    namesDevice: true,
  }),
  'sync-notify-change': sample({
    request: (fx) => ({ body: { sourceDeviceId: fx.deviceId, collections: ['tasks'] } }),
    othersRecords: 'own-scope',
    namesDevice: true,
  }),
  'sync-pull': sample({
    request: () => ({ query: { since: '0' } }),
    othersRecords: 'own-scope',
    namesDevice: false,
  }),
  'sync-mark-synced': sample({
    request: (fx) => ({ body: { deviceId: fx.deviceId } }),
    othersRecords: 'own-scope',
    namesDevice: true,
  }),
  'read-home': sample({
    request: (fx) => ({ query: { date: fx.date } }),
    othersRecords: 'own-scope',
    namesDevice: false,
  }),
  'read-health-data': sample({
    request: (fx) => ({ query: { date: fx.date } }),
    othersRecords: 'own-scope',
    namesDevice: false,
  }),
  'read-dashboard': sample({
    request: (fx) => ({ query: { date: fx.date } }),
    othersRecords: 'own-scope',
    namesDevice: false,
  }),
  'auth-logout': sample({
    request: () => ({ body: {} }),
    othersRecords: 'own-scope',
    namesDevice: false,
    endsSession: true,
  }),
  'auth-logout-everywhere': sample({
    request: () => ({ body: {} }),
    othersRecords: 'own-scope',
    namesDevice: false,
    endsSession: true,
  }),
  // With the owner's password: sent by another user, it must not work on theirs (403).
  'auth-change-password': sample({
    request: (fx) => ({ body: { currentPassword: fx.password, newPassword: `new ${fx.marker} phrase` } }),
    othersRecords: 'own-scope',
    namesDevice: false,
    endsSession: true,
  }),
  'auth-delete-account': sample({
    request: (fx) => ({ body: { password: fx.password } }),
    othersRecords: 'own-scope',
    namesDevice: false,
    endsSession: true,
  }),
};

/**
 * For a route without a sample: the owner's ids in every place a handler could read them from.
 * Expectations are then only the invariants (no 5xx, the owner's data unchanged, nothing leaked).
 */
export function genericProbe(route: HttpRoute, fx: Fixture): RouteRequest {
  const { id, hlc } = nextMutation(fx);
  const ids = {
    deviceId: fx.deviceId,
    sourceDeviceId: fx.deviceId,
    taskId: fx.taskId,
    id: fx.taskId,
    date: fx.date,
  };
  return {
    headers: { 'x-device-id': fx.deviceId, 'x-mutation-id': String(id), 'x-hlc': hlc },
    pathParameters: { ...ids },
    query: { deviceId: fx.deviceId, taskId: fx.taskId, date: fx.date, since: '0' },
    ...(route.method === 'GET' ? {} : { body: { ...ids, ids: [fx.taskId] } }),
  };
}

export function requestFor(route: HttpRoute, fx: Fixture): RouteRequest {
  const known = ROUTE_SAMPLES[route.name];
  return known ? known.request(fx) : genericProbe(route, fx);
}
