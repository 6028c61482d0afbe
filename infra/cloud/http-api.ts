// The HTTP API: one route per `httpRoutes` entry, `session` routes behind the Lambda REQUEST
// authorizer, one throttled `$default` stage with JSON access logs, and optionally a custom domain
// with the execute-api endpoint switched off.
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { HttpRoute } from '../routes.ts';
import { accessLogFormat } from './access-log.ts';
import type { AppFunction } from './app-function.ts';

export interface HttpApiProps {
  /** Unique per stage, so two stages' APIs are told apart in the console. */
  readonly apiName: string;
  readonly routes: readonly HttpRoute[];
  readonly functions: ReadonlyMap<string, AppFunction>;
  /** Absent only while the route table has no `http-authorizer` yet: then no route may need a session. */
  readonly authorizer: AppFunction | undefined;
  readonly authorizerCacheSeconds: number;
  readonly throttle: { rateLimit: number; burstLimit: number };
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** Part of the authorizer's identity source: a request without it is a 401 before any invocation. */
  readonly originHeader: string;
  /** Serve the API on this name only (CloudFront's origin), the execute-api endpoint disabled. */
  readonly customDomain?: { name: string; certificateArn: string } | undefined;
}

/** The identity source of the session authorizer, in the order API Gateway passes it on. */
export function sessionIdentitySource(originHeader: string): string[] {
  return ['$request.header.cookie', `$request.header.${originHeader}`];
}

export class HttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  /** Routes that run without the authorizer (`auth: 'public'`), for the cdk-nag acknowledgements. */
  readonly publicRoutes: apigw.HttpRoute[] = [];
  readonly customDomain: apigw.DomainName | undefined;
  /** The host CloudFront forwards `/api/*` to: the custom domain when there is one, else execute-api. */
  readonly domainName: string;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    this.api = new apigw.HttpApi(this, 'Api', {
      apiName: props.apiName,
      description: 'routine-sync HTTP API (served same-origin through CloudFront under /api/*)',
      createDefaultStage: false,
      disableExecuteApiEndpoint: props.customDomain !== undefined,
    });
    this.customDomain =
      props.customDomain &&
      new apigw.DomainName(this, 'Domain', {
        domainName: props.customDomain.name,
        certificate: acm.Certificate.fromCertificateArn(
          this,
          'Certificate',
          props.customDomain.certificateArn,
        ),
      });
    this.domainName =
      props.customDomain?.name ?? `${this.api.apiId}.execute-api.${this.api.env.region}.amazonaws.com`;
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: accessLogFormat('http'),
      },
      ...(this.customDomain ? { domainMapping: { domainName: this.customDomain } } : {}),
    });
    const authorizer =
      props.authorizer &&
      this.sessionAuthorizer(props.authorizer, props.authorizerCacheSeconds, props.originHeader);
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

  private sessionAuthorizer(
    fn: AppFunction,
    cacheSeconds: number,
    originHeader: string,
  ): HttpLambdaAuthorizer {
    // The identity source is the cache key: one authorizer call per session per cache period,
    // however often a device polls. API Gateway answers 401 itself, before the authorizer runs,
    // when any identity source is missing or empty: a request without a cookie, and any direct
    // execute-api call (only CloudFront adds the origin header), costs no invocation.
    return new HttpLambdaAuthorizer('session', fn.fn, {
      authorizerName: 'session-cookie',
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: sessionIdentitySource(originHeader),
      resultsCacheTtl: Duration.seconds(cacheSeconds),
    });
  }
}
