// With tracing on, every MongoDB command a handler sends is an X-Ray subsegment of the invocation's
// trace. The test runs the way a traced Lambda function does: Lambda's environment (task root, trace
// header), Powertools Tracer over the X-Ray SDK, the real driver against the embedded server, and the
// X-Ray daemon's UDP address pointing at a socket the test reads. The SDK streams each subsegment to
// the daemon as it closes, so what arrives there is exactly what X-Ray would be sent.
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { getDb } from '../../functions/lib/mongo.ts';
import { handler as home } from '../../functions/read/home.ts';
import { useTestMongo } from '../support/mongo.ts';
import { useStarted } from '../support/use-started.ts';
import { call } from '../sync/call.ts';
import { newUserId, TODAY } from '../sync/fixtures.ts';

const ROOT = '1-5759e988-bd862e3fe1be46a994272793';
const PARENT = '53995c3f42cd8ad8';

interface SentSubsegment {
  name: string;
  namespace?: string;
  trace_id: string;
  parent_id: string;
  start_time: number;
  end_time?: number;
  in_progress?: boolean;
  fault?: boolean;
  annotations?: Record<string, string>;
  cause?: { exceptions: Array<{ message: string; remote?: boolean }> };
}

/** A stand-in X-Ray daemon: each UDP datagram is a JSON header line, then the (sub)segment's JSON. */
async function startDaemon() {
  const socket = createSocket('udp4');
  const received: SentSubsegment[] = [];
  socket.on('message', (datagram) => {
    const [header, body] = datagram.toString('utf8').split('\n');
    if (header === '{"format":"json","version":1}' && body) received.push(JSON.parse(body) as SentSubsegment);
  });
  await new Promise<void>((done) => socket.bind(0, '127.0.0.1', done));
  return {
    address: `127.0.0.1:${(socket.address() as AddressInfo).port}`,
    received,
    stop: () => new Promise<void>((done) => socket.close(() => done())),
  };
}

const daemon = useStarted('X-Ray daemon', async () => {
  const started = await startDaemon();
  // Read when the tracer and the client load, which the first getDb() below does.
  process.env.TRACING = 'true';
  process.env.LAMBDA_TASK_ROOT = '/var/task';
  process.env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs22.x';
  process.env.AWS_XRAY_DAEMON_ADDRESS = started.address;
  process.env.AWS_XRAY_LOG_LEVEL = 'silent';
  process.env._X_AMZN_TRACE_ID = `Root=${ROOT};Parent=${PARENT};Sampled=1`;
  return started;
});
const mongo = useTestMongo();

/** The subsegments the daemon has received since `from`, once `count` of them match `name`. */
async function sent(from: number, name: string, count = 1): Promise<SentSubsegment[]> {
  return vi.waitFor(() => {
    const matching = daemon.received.slice(from).filter((sub) => sub.name === name);
    expect(matching.length).toBeGreaterThanOrEqual(count);
    return matching;
  });
}

describe('MongoDB commands as X-Ray subsegments', () => {
  it('traces each command a handler sends, closed, under the invocation’s trace', async () => {
    const from = daemon.received.length;
    const res = await call(home, { path: '/api/home', query: { date: TODAY }, userId: newUserId() });
    expect(res.status).toBe(200);
    const finds = await sent(from, 'mongodb find');
    for (const sub of finds) {
      expect(sub).toMatchObject({ namespace: 'remote', trace_id: ROOT, parent_id: PARENT });
      expect(sub.annotations).toMatchObject({ db: mongo.db.databaseName, collection: expect.any(String) });
      expect(sub.in_progress).toBeUndefined();
      expect(sub.end_time).toBeGreaterThanOrEqual(sub.start_time);
      expect(sub.fault).toBeUndefined();
    }
    const collections = new Set(finds.map((sub) => sub.annotations?.collection));
    expect(collections.has('tasks')).toBe(true);
  });

  it('marks a failing command as a remote fault with the server’s message', async () => {
    const from = daemon.received.length;
    await expect((await getDb()).command({ frobnicate: 1 })).rejects.toThrow(/no such command/);
    const [failed] = await sent(from, 'mongodb frobnicate');
    expect(failed).toMatchObject({ namespace: 'remote', fault: true, trace_id: ROOT });
    expect(failed?.annotations).toEqual({ db: mongo.db.databaseName });
    expect(failed?.end_time).toBeGreaterThanOrEqual(failed?.start_time ?? Number.POSITIVE_INFINITY);
    expect(failed?.cause?.exceptions[0]).toMatchObject({
      message: expect.stringMatching(/no such command/),
      remote: true,
    });
  });

  it('records names only: no filter value or document reaches the trace', async () => {
    const from = daemon.received.length;
    const secret = 'a-value-only-the-user-knows';
    await mongo.db.collection('notes').insertOne({ secret });
    await mongo.db.collection('notes').findOne({ secret });
    await sent(from, 'mongodb find');
    expect(JSON.stringify(daemon.received.slice(from))).not.toContain(secret);
  });
});
