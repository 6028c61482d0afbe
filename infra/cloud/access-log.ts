// One JSON line per API request: what an operator greps for when a device reports "sync is stuck".
// Never headers or bodies: they carry session cookies and user data. The two API kinds support
// different `$context` variables (an unknown one fails the deployment), hence two field lists.
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';

const HTTP_FIELDS = {
  requestId: '$context.requestId',
  time: '$context.requestTime',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  latencyMs: '$context.responseLatency',
  responseLength: '$context.responseLength',
  error: '$context.error.message',
  authorizerError: '$context.authorizer.error',
  integrationError: '$context.integrationErrorMessage',
};

const WEBSOCKET_FIELDS = {
  requestId: '$context.requestId',
  time: '$context.requestTime',
  routeKey: '$context.routeKey',
  eventType: '$context.eventType',
  connectionId: '$context.connectionId',
  status: '$context.status',
  integrationLatencyMs: '$context.integrationLatency',
  error: '$context.error.message',
  integrationError: '$context.integration.error',
};

export function accessLogFormat(kind: 'http' | 'websocket'): AccessLogFormat {
  return AccessLogFormat.custom(JSON.stringify(kind === 'http' ? HTTP_FIELDS : WEBSOCKET_FIELDS));
}
