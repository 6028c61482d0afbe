// docs/scaling.md from the scale model's parameters and figures: every number in the doc comes from
// here, so the doc is regenerated (`npm run bench -- scale-model`), never edited by hand.
import type { Parameters, ScaleFigures } from './model.ts';

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits }) : 'n/a';
const pct = (share: number) => `${fmt(share * 100, 1)} %`;
const usd = (n: number) => `$${fmt(n)}`;
const label = (users: number) => (users >= 1e6 ? `${users / 1e6} M` : `${fmt(users / 1e3)} k`);

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(head: string[], rows: string[][]): string {
  return [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
}

function parametersTable(p: Parameters): string {
  const { usage, app, quotas, prices } = p;
  return table(
    ['parameter', 'value'],
    [
      ['devices per user', fmt(usage.devicesPerUser)],
      ['hours each device has the app open, per day', fmt(usage.hoursOpenPerDevicePerDay)],
      ['changes per user per day', fmt(usage.changesPerUserPerDay)],
      ['busiest hour ÷ daily average', fmt(usage.peakFactor)],
      ['WebSocket connection lifetime (API Gateway maximum)', `${app.connectionMaxHours} h`],
      ['heartbeat', `every ${app.heartbeatMinutes} min`],
      ['pokes that still need a pull (records streamed otherwise)', pct(app.pullFractionStreamed)],
      ['function run time, memory', `${app.functionMs} ms, ${app.functionMemoryGb * 1024} MB`],
      ['WebSocket new connections per second (default quota)', fmt(quotas.websocketNewConnectionsPerSecond)],
      [
        'API Gateway requests per second, account and Region (default)',
        fmt(quotas.apiGatewayRequestsPerSecond),
      ],
      ['Lambda concurrent executions (default)', fmt(quotas.lambdaConcurrency)],
      [
        'HTTP API, WebSocket messages',
        `$${prices.httpPerMillion} / M requests, $${prices.wsMessagesPerMillion} / M messages`,
      ],
      ['WebSocket connection minutes', `$${prices.wsConnectionMinutesPerMillion} / M`],
      ['Lambda', `$${prices.lambdaRequestsPerMillion} / M requests + $${prices.lambdaGbSecond} / GB-s`],
    ],
  );
}

function figuresTable(figures: readonly ScaleFigures[]): string {
  const col = (f: (s: ScaleFigures) => string) => figures.map(f);
  return table(
    ['', ...figures.map((f) => `${label(f.users)} users`)],
    [
      ['HTTP requests / day', ...col((f) => fmt(f.perDay.httpRequests))],
      ['WebSocket connection-minutes / day', ...col((f) => fmt(f.perDay.wsConnectionMinutes))],
      ['WebSocket messages / day', ...col((f) => fmt(f.perDay.wsMessages))],
      ['Lambda invocations / day', ...col((f) => fmt(f.perDay.lambdaInvocations))],
      ['MongoDB operations / day', ...col((f) => fmt(f.perDay.mongoOps))],
      ['pulls saved by streamed pokes / day', ...col((f) => fmt(f.pullsSavedPerDay))],
      [
        'broadcast runs saved (the writer posts the pokes) / day',
        ...col((f) => fmt(f.broadcastsSavedPerDay)),
      ],
      ['peak: new WebSocket connections / s', ...col((f) => fmt(f.peak.newConnectionsPerSecond, 1))],
      ['peak: open WebSocket connections', ...col((f) => fmt(f.peak.openConnections))],
      ['peak: HTTP requests / s', ...col((f) => fmt(f.peak.httpRequestsPerSecond, 1))],
      ['peak: Lambda concurrency', ...col((f) => fmt(f.peak.lambdaConcurrency, 1))],
      ['peak: MongoDB operations / s', ...col((f) => fmt(f.peak.mongoOpsPerSecond))],
      ['peak: MongoDB connections (warm containers × pool)', ...col((f) => fmt(f.peak.mongoConnections))],
      ['Atlas tier by connections (1.5× headroom)', ...col((f) => f.atlasTier)],
      ['WebSocket new-connection quota used', ...col((f) => pct(f.quotaUse.websocketNewConnections))],
      ['API Gateway request quota used', ...col((f) => pct(f.quotaUse.apiGatewayRequests))],
      ['Lambda concurrency quota used', ...col((f) => pct(f.quotaUse.lambdaConcurrency))],
      ['monthly: API Gateway', ...col((f) => usd(f.monthlyCost.apiGateway))],
      ['monthly: Lambda', ...col((f) => usd(f.monthlyCost.lambda))],
      ['monthly: Atlas (assumed list price)', ...col((f) => usd(f.monthlyCost.atlas))],
      ['monthly: total', ...col((f) => usd(f.monthlyCost.total))],
    ],
  );
}

/** The quota closest to its default at each scale: the one to raise first. */
function bindingFirst(f: ScaleFigures): string {
  const uses = Object.entries(f.quotaUse).sort((a, b) => b[1] - a[1]);
  const [name, share] = uses[0] ?? ['none', 0];
  const names: Record<string, string> = {
    websocketNewConnections: 'WebSocket new connections per second',
    apiGatewayRequests: 'API Gateway requests per second',
    lambdaConcurrency: 'Lambda concurrency',
  };
  return `${names[name] ?? name} at ${pct(share)} of its default`;
}

function steps(figures: readonly ScaleFigures[]): string {
  return figures
    .map((f) => {
      const base = `- **${label(f.users)} users**: binds first: ${bindingFirst(f)}; Atlas ${f.atlasTier} by connections.`;
      const over = Object.values(f.quotaUse).some((share) => share > 0.5);
      const change = over
        ? ' Ask for quota increases before launch (the default is within 2× of the peak); spread reconnects (the client already reconnects with jitter).'
        : ' The deployed stack as it is: defaults suffice.';
      return base + change;
    })
    .join('\n');
}

export function renderScalingDoc(p: Parameters, figures: readonly ScaleFigures[]): string {
  const s = p.sources;
  return `# Scaling on paper: 1 k, 100 k and 1 M users

<!-- Generated by \`npm run bench -- scale-model\` (bench/scale-model.ts); do not edit by hand. -->

Every number below is computed by \`bench/scale-model.ts\` from the one parameter table it holds;
test/sync/scaling-doc.test.ts fails when this page and the script disagree. The traffic model: each
device keeps its WebSocket open while the app is open and reconnects when API Gateway ends it at
2 h (each connect: a ticket request, the authorizer, \`$connect\`, a pull, later \`$disconnect\`);
a heartbeat every 8 min (a message each way and a \`$default\` run); each change is one push and,
when another device of the user is open, a poke that carries the change, posted by the mutation
function itself (a \`broadcast\` run only past ${p.app.directPokeLimit} other devices, or for a post that
failed), and the other device pulls only on a gap.

## Parameters

${parametersTable(p)}

Quotas: [WebSocket API](${s.websocketQuotas}) (500 new connections per second per account and
Region; frames of at most 32 KB; connections end after 2 h), [API Gateway account](${s.apiGatewayQuotas})
(10,000 requests per second across HTTP, REST and WebSocket APIs, token-bucket burst),
[Lambda](${s.lambdaQuotas}) (1,000 concurrent executions; [scaling](${s.lambdaScaling}) adds at most
1,000 execution environments per function every 10 s), [Atlas](${s.atlasLimits}) (connections per
node by tier). Prices: [API Gateway](${s.apiGatewayPricing}), [Lambda](${s.lambdaPricing}), us-east-1
list prices without the free tier.

## Figures

${figuresTable(figures)}

## What binds first, and what changes at each step

${steps(figures)}

The Atlas tier above is chosen by connections only; at 100 k users and beyond the operations per
second decide it (measure them against the tier with a load test before choosing). Beyond these
steps: one MongoDB replica set carries the writes of a million users at the peak above;
past it, shard the synced collections and \`syncCommits\` on \`userId\` (every query of the sync path
is by user), and keep the warm-container count (and so Atlas connections) bounded with reserved
concurrency per function.
`;
}
