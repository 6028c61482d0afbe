// The scaling model behind docs/scaling.md: the one parameter table (usage, the app's behaviour, AWS's
// quotas and prices) and the figures it gives for a number of users.

/** Usage, the app's own behaviour, and AWS's quotas and list prices (us-east-1), with their sources. */
export const PARAMETERS = {
  usage: {
    devicesPerUser: 2,
    /** Each device has the app open (socket connected) this long a day. */
    hoursOpenPerDevicePerDay: 8,
    changesPerUserPerDay: 20,
    /** The busiest hour carries this multiple of the day's average rate. */
    peakFactor: 3,
  },
  app: {
    /** API Gateway closes a WebSocket after 2 h: a device open 8 h connects 4 times. */
    connectionMaxHours: 2,
    heartbeatMinutes: 8,
    /** Per (re)connect: ws-ticket + pull over HTTP; authorizer, $connect and $disconnect functions. */
    httpPerConnect: 2,
    functionsPerConnect: 3,
    /** Streamed pokes carry the change (≤ 24 KB): the other device pulls only on a gap. */
    pullFractionStreamed: 0.05,
    /**
     * A writer posts the pokes itself to at most this many other connections (DIRECT_POKE_LIMIT in
     * functions/lib/realtime/poke-other-devices.ts); past it, one `broadcast` run posts them.
     */
    directPokeLimit: 4,
    functionMs: 40,
    functionMemoryGb: 0.5,
    /**
     * Mongo commands per change, as counted through the driver: the authorizer's session, the
     * device's stand, the records, the version, the write, the commit marker, the mutation id, the
     * commit, the other devices' flag, the deletion check and the poke targets.
     */
    mongoOpsPerChange: 11,
    mongoOpsPerPull: 3,
    mongoOpsPerConnect: 4,
    mongoOpsPerHeartbeat: 3,
    /** The driver's pool per warm function container; usually 1–2 sockets are open. */
    mongoConnectionsPerContainer: 2,
  },
  quotas: {
    websocketNewConnectionsPerSecond: 500,
    apiGatewayRequestsPerSecond: 10_000,
    lambdaConcurrency: 1_000,
    /** Atlas: connections per node by tier. */
    atlasConnections: { M10: 1_500, M30: 3_000, M40: 6_000, M50: 16_000, M60: 32_000 },
  },
  prices: {
    httpPerMillion: 1.0,
    wsMessagesPerMillion: 1.0,
    wsConnectionMinutesPerMillion: 0.25,
    lambdaRequestsPerMillion: 0.2,
    lambdaGbSecond: 0.0000166667,
    /** Assumed Atlas list prices per month (3-node replica set), not from AWS's documentation. */
    atlasMonthly: { M10: 57, M30: 389, M40: 748, M50: 1_440, M60: 2_850 },
  },
  sources: {
    websocketQuotas:
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html',
    apiGatewayQuotas: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html',
    lambdaQuotas: 'https://docs.aws.amazon.com/lambda/latest/dg/limits.html',
    lambdaScaling: 'https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html',
    atlasLimits: 'https://www.mongodb.com/docs/atlas/reference/atlas-limits/',
    apiGatewayPricing: 'https://aws.amazon.com/api-gateway/pricing/',
    lambdaPricing: 'https://aws.amazon.com/lambda/pricing/',
  },
} as const;

export type Parameters = typeof PARAMETERS;
export const SCALES = [1_000, 100_000, 1_000_000] as const;
const DAY_S = 86_400;
const MONTH_DAYS = 30;

export interface ScaleFigures {
  users: number;
  perDay: {
    httpRequests: number;
    wsConnectionMinutes: number;
    wsMessages: number;
    lambdaInvocations: number;
    mongoOps: number;
  };
  peak: {
    newConnectionsPerSecond: number;
    httpRequestsPerSecond: number;
    lambdaConcurrency: number;
    openConnections: number;
    mongoOpsPerSecond: number;
    mongoConnections: number;
  };
  /** Quotas as a share of their default (1 = at the quota). */
  quotaUse: { websocketNewConnections: number; apiGatewayRequests: number; lambdaConcurrency: number };
  atlasTier: string;
  pullsSavedPerDay: number;
  /** `broadcast` runs the writers' own posts spare (the poked changes). */
  broadcastsSavedPerDay: number;
  monthlyCost: { apiGateway: number; lambda: number; atlas: number; total: number };
}

export function model(users: number, p: Parameters = PARAMETERS): ScaleFigures {
  const { usage, app, quotas, prices } = p;
  const devices = users * usage.devicesPerUser;
  const openFraction = usage.hoursOpenPerDevicePerDay / 24;
  const connects = devices * (usage.hoursOpenPerDevicePerDay / app.connectionMaxHours);
  const heartbeats = devices * ((usage.hoursOpenPerDevicePerDay * 60) / app.heartbeatMinutes);
  const changes = users * usage.changesPerUserPerDay;
  // Each change pokes the user's other devices that are open at that moment.
  const pokes = changes * (usage.devicesPerUser - 1) * openFraction;
  const pulls = pokes * app.pullFractionStreamed;
  const http = connects * app.httpPerConnect + changes + pulls;
  // A `broadcast` run only for a change whose open devices are more than the writer posts to itself
  // (at most devicesPerUser − 1 of them can be open), and none with two devices per user.
  const pokedChanges = changes * Math.min(1, (usage.devicesPerUser - 1) * openFraction);
  const broadcasts = usage.devicesPerUser - 1 > app.directPokeLimit ? pokedChanges : 0;
  const lambda = http + connects * app.functionsPerConnect + heartbeats + broadcasts;
  const wsMessages = pokes + heartbeats * 2;
  const wsMinutes = devices * usage.hoursOpenPerDevicePerDay * 60;
  const mongoOps =
    changes * app.mongoOpsPerChange +
    (pulls + connects) * app.mongoOpsPerPull +
    connects * app.mongoOpsPerConnect +
    heartbeats * app.mongoOpsPerHeartbeat;
  const peak = (perDay: number) => (perDay / DAY_S) * usage.peakFactor;
  const concurrency = peak(lambda) * (app.functionMs / 1000);
  const containers = Math.max(1, Math.ceil(concurrency));
  const mongoConnections = containers * app.mongoConnectionsPerContainer;
  const atlasTier =
    Object.entries(quotas.atlasConnections).find(([, limit]) => limit >= mongoConnections * 1.5)?.[0] ??
    'sharded';
  const atlasMonthly = prices.atlasMonthly[atlasTier as keyof typeof prices.atlasMonthly] ?? Number.NaN;
  const apiGateway =
    ((http * prices.httpPerMillion +
      wsMessages * prices.wsMessagesPerMillion +
      wsMinutes * prices.wsConnectionMinutesPerMillion) /
      1e6) *
    MONTH_DAYS;
  const lambdaCost =
    ((lambda / 1e6) * prices.lambdaRequestsPerMillion +
      lambda * (app.functionMs / 1000) * app.functionMemoryGb * prices.lambdaGbSecond) *
    MONTH_DAYS;
  return {
    users,
    perDay: {
      httpRequests: http,
      wsConnectionMinutes: wsMinutes,
      wsMessages,
      lambdaInvocations: lambda,
      mongoOps,
    },
    peak: {
      newConnectionsPerSecond: peak(connects),
      httpRequestsPerSecond: peak(http),
      lambdaConcurrency: concurrency,
      openConnections: Math.min(devices, devices * openFraction * usage.peakFactor),
      mongoOpsPerSecond: peak(mongoOps),
      mongoConnections,
    },
    quotaUse: {
      websocketNewConnections: peak(connects) / quotas.websocketNewConnectionsPerSecond,
      // HTTP requests, messages the devices send (heartbeats, connects) and posts to the callback API.
      apiGatewayRequests: peak(http + heartbeats + connects + pokes) / quotas.apiGatewayRequestsPerSecond,
      lambdaConcurrency: concurrency / quotas.lambdaConcurrency,
    },
    atlasTier,
    pullsSavedPerDay: pokes - pulls,
    broadcastsSavedPerDay: pokedChanges - broadcasts,
    monthlyCost: {
      apiGateway,
      lambda: lambdaCost,
      atlas: atlasMonthly,
      total: apiGateway + lambdaCost + atlasMonthly,
    },
  };
}
