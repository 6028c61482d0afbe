// The HTTP API mirrors httpRoutes (session routes behind the cookie authorizer); the WebSocket API
// exists exactly when the table has WebSocket routes, with the ticket authorizer on $connect.
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN_VERIFY_HEADER } from '../../functions/lib/origin-verify.ts';
import { AUTHORIZER_CACHE_TTL_SECONDS } from '../../infra/authorizer-cache.ts';
import { routeTable } from '../../infra/routes.ts';
import { withoutRealtime, withRealtime } from './route-tables.ts';
import { SYNTH_TIMEOUT_MS, type Synthesized, synthStack } from './synth-stack.ts';
import { appFunctions } from './template-queries.ts';

const table = withRealtime(routeTable);

let synth: Synthesized;
beforeAll(() => {
  synth = synthStack(table);
}, SYNTH_TIMEOUT_MS);

function routes(protocol: 'HTTP' | 'WEBSOCKET') {
  const apiId = Object.keys(
    synth.template.findResources('AWS::ApiGatewayV2::Api', { Properties: { ProtocolType: protocol } }),
  )[0];
  return Object.values(synth.template.findResources('AWS::ApiGatewayV2::Route')).filter(
    (r) => r.Properties.ApiId.Ref === apiId,
  );
}

describe('HTTP API', { timeout: SYNTH_TIMEOUT_MS }, () => {
  it('has one route per httpRoutes entry, session routes behind the authorizer and public ones open', () => {
    const deployed = routes('HTTP');
    expect(deployed).toHaveLength(table.httpRoutes.length);
    for (const route of table.httpRoutes) {
      const found = deployed.find((r) => r.Properties.RouteKey === `${route.method} ${route.path}`);
      expect(found, route.name).toBeDefined();
      expect(found?.Properties.AuthorizationType, route.name).toBe(
        route.auth === 'session' ? 'CUSTOM' : 'NONE',
      );
    }
  });

  it('authorizes with the http-authorizer function: simple responses, cached per cookie and origin header', () => {
    const authorizer = table.internalFunctions.find((f) => f.role === 'http-authorizer');
    const fn = appFunctions(synth.template).get(authorizer?.name ?? '');
    const expected = {
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      // Both must be present and non-empty or API Gateway answers 401 without invoking anything:
      // a direct execute-api call has no x-origin-verify (only CloudFront adds it).
      IdentitySource: ['$request.header.cookie', `$request.header.${ORIGIN_VERIFY_HEADER}`],
      AuthorizerResultTtlInSeconds: AUTHORIZER_CACHE_TTL_SECONDS,
    };
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', expected);
    const found = synth.template.findResources('AWS::ApiGatewayV2::Authorizer', { Properties: expected });
    const uri = JSON.stringify(Object.values(found)[0]?.Properties.AuthorizerUri);
    expect(uri).toContain(fn?.logicalId);
  });

  it('lets only this HTTP API invoke each route function', () => {
    const httpApiId = Object.keys(
      synth.template.findResources('AWS::ApiGatewayV2::Api', { Properties: { ProtocolType: 'HTTP' } }),
    )[0];
    const permissions = Object.values(synth.template.findResources('AWS::Lambda::Permission'));
    const deployed = appFunctions(synth.template);
    for (const route of table.httpRoutes) {
      const fn = deployed.get(route.name);
      const own = permissions.filter((p) =>
        JSON.stringify(p.Properties.FunctionName).includes(`"${fn?.logicalId}"`),
      );
      expect(own.length, route.name).toBeGreaterThan(0);
      for (const p of own) {
        expect(p.Properties.Principal, route.name).toBe('apigateway.amazonaws.com');
        expect(JSON.stringify(p.Properties.SourceArn), route.name).toContain(`{"Ref":"${httpApiId}"}`);
      }
    }
  });

  it('throttles the $default stage with the configured rate and burst, and logs access as JSON', () => {
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('"requestId"') },
    });
  });

  it('takes throttling from context', () => {
    const { template } = synthStack(routeTable, { throttleRateLimit: 7, throttleBurstLimit: 9 });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 7, ThrottlingBurstLimit: 9 },
    });
  });
});

describe('WebSocket API', { timeout: SYNTH_TIMEOUT_MS }, () => {
  it('has one route per websocketRoutes entry, only $connect behind the ticket authorizer', () => {
    const deployed = routes('WEBSOCKET');
    expect(deployed).toHaveLength(table.websocketRoutes.length);
    for (const route of table.websocketRoutes) {
      const found = deployed.find((r) => r.Properties.RouteKey === route.routeKey);
      expect(found?.Properties.AuthorizationType, route.routeKey).toBe(
        route.routeKey === '$connect' ? 'CUSTOM' : 'NONE',
      );
    }
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      IdentitySource: ['route.request.querystring.ticket'],
    });
  });

  it('returns the $default integration response (the heartbeat answer) to the client', () => {
    const route = routes('WEBSOCKET').find((r) => r.Properties.RouteKey === '$default');
    expect(route?.Properties.RouteResponseSelectionExpression).toBe('$default');
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::RouteResponse', {
      RouteResponseKey: '$default',
    });
    synth.template.resourceCountIs('AWS::ApiGatewayV2::RouteResponse', 1);
  });

  it('throttles its stage too', () => {
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: 'live',
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
    });
  });

  it('is left out while the route table has no WebSocket routes', () => {
    const { template } = synthStack(withoutRealtime(routeTable));
    template.resourcePropertiesCountIs('AWS::ApiGatewayV2::Api', { ProtocolType: 'WEBSOCKET' }, 0);
    expect(template.findOutputs('WebSocketUrl')).toEqual({});
  });

  it('refuses to build an open $connect when the table lacks the websocket-authorizer', () => {
    const full = withRealtime(routeTable);
    const noAuthorizer = {
      ...full,
      internalFunctions: full.internalFunctions.filter((f) => f.role !== 'websocket-authorizer'),
    };
    expect(() => synthStack(noAuthorizer)).toThrow(/no websocket-authorizer/);
  });
});
