// The WebSocket API that carries pokes: `$connect` behind the ticket authorizer, `$disconnect` and
// `$default`, one throttled stage (access logs opt-in: they need the account's API Gateway
// CloudWatch Logs role, see docs/deploy.md). Built only when the route table has WebSocket
// routes: API Gateway cannot deploy a WebSocket API without any.
import type { RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { WebSocketRoute } from '../routes.ts';
import { accessLogFormat } from './access-log.ts';
import type { AppFunction } from './app-function.ts';

export const WEBSOCKET_STAGE_NAME = 'live';
/** The single-use ticket from `sync-ws-ticket` travels in the query string: browsers cannot set headers. */
export const WEBSOCKET_TICKET_SOURCE = 'route.request.querystring.ticket';

export interface WebSocketApiProps {
  readonly apiName: string;
  readonly routes: readonly WebSocketRoute[];
  readonly functions: ReadonlyMap<string, AppFunction>;
  readonly authorizer: AppFunction | undefined;
  readonly throttle: { rateLimit: number; burstLimit: number };
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** Only when the account has API Gateway's CloudWatch Logs role (`-c webSocketAccessLogs=true`). */
  readonly accessLogs: boolean;
}

export class WebSocketApi extends Construct {
  readonly api: apigw.WebSocketApi;
  readonly stage: apigw.WebSocketStage;
  /** `$disconnect` and `$default`: API Gateway authorizes a WebSocket on `$connect` only. */
  readonly routesAfterConnect: apigw.WebSocketRoute[] = [];

  constructor(scope: Construct, id: string, props: WebSocketApiProps) {
    super(scope, id);
    this.api = new apigw.WebSocketApi(this, 'Api', {
      apiName: props.apiName,
      description: 'routine-sync pokes: {type:"poke", version, collections}',
    });
    for (const route of props.routes) {
      const target = props.functions.get(route.name);
      if (!target) throw new Error(`WebSocket route ${route.routeKey}: no function "${route.name}"`);
      const added = this.api.addRoute(route.routeKey, {
        integration: new WebSocketLambdaIntegration(`${route.name}-integration`, target.fn),
        ...(route.routeKey === '$connect' ? { authorizer: this.connectAuthorizer(props.authorizer) } : {}),
        // `$default` carries the heartbeat, whose answer (the user's version) goes back to the client.
        ...(route.routeKey === '$default' ? { returnResponse: true } : {}),
      });
      if (route.routeKey !== '$connect') this.routesAfterConnect.push(added);
    }
    // Unlike HTTP APIs, a WebSocket stage with access logs fails to deploy ("CloudWatch Logs role ARN
    // must be set in account settings") until the account-wide AWS::ApiGateway::Account role exists;
    // the stack does not set that role, which another stack in the account may already own.
    const accessLogs =
      props.accessLogs &&
      new logs.LogGroup(this, 'AccessLogs', {
        retention: props.logRetention,
        removalPolicy: props.removalPolicy,
      });
    this.stage = new apigw.WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: WEBSOCKET_STAGE_NAME,
      autoDeploy: true,
      throttle: props.throttle,
      ...(accessLogs
        ? {
            accessLogSettings: {
              destination: new apigw.LogGroupLogDestination(accessLogs),
              format: accessLogFormat('websocket'),
            },
          }
        : {}),
    });
  }

  /** `wss://…/live`: what the browser connects to (published in the site's config.json). */
  get url(): string {
    return this.stage.url;
  }

  private connectAuthorizer(fn: AppFunction | undefined): WebSocketLambdaAuthorizer {
    // An open $connect would let anyone hold connections and learn nothing, but still cost money
    // and break the "every connection has a user" invariant broadcast relies on: refuse to build it.
    if (!fn) {
      throw new Error('The route table has a WebSocket $connect route but no websocket-authorizer function');
    }
    return new WebSocketLambdaAuthorizer('ticket', fn.fn, {
      authorizerName: 'ws-ticket',
      identitySource: [WEBSOCKET_TICKET_SOURCE],
    });
  }
}
