// The HTTP API: one route per `httpRoutes` entry, `session` routes behind the Lambda REQUEST
// authorizer, one throttled `$default` stage with JSON access logs.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { HttpRoute } from '../routes.ts';
import { accessLogFormat } from './access-log.ts';
import type { AppFunction } from './app-function.ts';

export interface HttpApiProps {
  readonly routes: readonly HttpRoute[];
  readonly functions: ReadonlyMap<string, AppFunction>;
  /** Absent only while the route table has no `http-authorizer` yet: then no route may need a session. */
  readonly authorizer: AppFunction | undefined;
  readonly authorizerCacheSeconds: number;
  readonly throttle: { rateLimit: number; burstLimit: number };
  readonly logRetention: logs.RetentionDays;
}

export class HttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  /** Routes that run without the authorizer (`auth: 'public'`), for the cdk-nag acknowledgements. */
  readonly publicRoutes: apigw.HttpRoute[] = [];

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    this.api = new apigw.HttpApi(this, 'Api', {
      description: 'routine-sync HTTP API (served same-origin through CloudFront under /api/*)',
      createDefaultStage: false,
    });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: accessLogFormat('http'),
      },
    });
    const authorizer =
      props.authorizer && this.sessionAuthorizer(props.authorizer, props.authorizerCacheSeconds);
    for (const route of props.routes) {
      const target = props.functions.get(route.name);
      if (!target) throw new Error(`HTTP route ${route.method} ${route.path}: no function "${route.name}"`);
      if (route.auth === 'session' && !authorizer) {
        throw new Error(
          `HTTP route ${route.name} needs a session but the route table has no http-authorizer function`,
        );
      }
      const added = this.api.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${route.name}-integration`, target.fn),
        ...(route.auth === 'session' && authorizer ? { authorizer } : {}),
      });
      if (route.auth === 'public') this.publicRoutes.push(...added);
    }
  }

  /** The execute-api host CloudFront forwards `/api/*` to. */
  get domainName(): string {
    return `${this.api.apiId}.execute-api.${this.api.env.region}.amazonaws.com`;
  }

  private sessionAuthorizer(fn: AppFunction, cacheSeconds: number): HttpLambdaAuthorizer {
    // The cookie header is both the identity source and the cache key: one authorizer call per
    // session per cache period, however often a device polls. A request without any cookie is
    // answered 401 by API Gateway itself, before the authorizer runs.
    return new HttpLambdaAuthorizer('session', fn.fn, {
      authorizerName: 'session-cookie',
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.cookie'],
      resultsCacheTtl: Duration.seconds(cacheSeconds),
    });
  }
}
