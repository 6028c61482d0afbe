// The site: private bucket, CloudFront with OAC, security headers, SPA fallback that cannot swallow
// API errors, `/api/*` same-origin to the HTTP API without caching.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { CachePolicy, OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifySiteFiles, SPA_FALLBACK_CODE, WebHosting } from '../../infra/cloud/web-hosting.ts';
import { routeTable } from '../../infra/routes.ts';
import { withRealtime } from './route-tables.ts';
import { FIXTURE_SITE, SYNTH_TIMEOUT_MS, type Synthesized, synthStack } from './synth-stack.ts';

let synth: Synthesized;
beforeAll(() => {
  synth = synthStack(withRealtime(routeTable));
}, SYNTH_TIMEOUT_MS);

interface CacheBehavior {
  PathPattern?: string;
  ViewerProtocolPolicy: string;
  CachePolicyId: string;
  OriginRequestPolicyId?: string;
  ResponseHeadersPolicyId?: unknown;
  AllowedMethods?: string[];
  FunctionAssociations?: unknown[];
  TargetOriginId: string;
}

function distributionConfig() {
  const [dist] = Object.values(synth.template.findResources('AWS::CloudFront::Distribution'));
  return dist?.Properties.DistributionConfig as {
    DefaultCacheBehavior: CacheBehavior;
    CacheBehaviors: CacheBehavior[];
    Origins: Array<{
      Id: string;
      DomainName: unknown;
      OriginAccessControlId?: unknown;
      CustomOriginConfig?: Record<string, unknown>;
    }>;
    CustomErrorResponses?: unknown[];
    DefaultRootObject: string;
  };
}

describe('site bucket', { timeout: SYNTH_TIMEOUT_MS }, () => {
  it('blocks public access, enforces TLS and encrypts at rest', () => {
    synth.template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
    synth.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
          }),
        ]),
      },
    });
  });
});

describe('CloudFront', { timeout: SYNTH_TIMEOUT_MS }, () => {
  it('reads the bucket through origin access control (SigV4), not a public website endpoint', () => {
    synth.template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    });
    const s3Origin = distributionConfig().Origins.find((o) => o.OriginAccessControlId);
    expect(s3Origin).toBeDefined();
  });

  it('serves the site over HTTPS only, cached, with the SPA fallback function on viewer requests', () => {
    const def = distributionConfig().DefaultCacheBehavior;
    expect(def.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(def.CachePolicyId).toBe(CachePolicy.CACHING_OPTIMIZED.cachePolicyId);
    expect(def.FunctionAssociations).toEqual([expect.objectContaining({ EventType: 'viewer-request' })]);
    expect(distributionConfig().DefaultRootObject).toBe('index.html');
  });

  it('routes /api/* to the HTTP API: HTTPS only, all methods, no cache, viewer data forwarded except Host', () => {
    const api = distributionConfig().CacheBehaviors.find((b) => b.PathPattern === '/api/*');
    expect(api).toMatchObject({
      ViewerProtocolPolicy: 'https-only',
      CachePolicyId: CachePolicy.CACHING_DISABLED.cachePolicyId,
      OriginRequestPolicyId: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
    });
    expect(api?.FunctionAssociations).toBeUndefined();
    const origin = distributionConfig().Origins.find((o) => o.Id === api?.TargetOriginId);
    expect(origin?.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    const httpApiId = Object.keys(
      synth.template.findResources('AWS::ApiGatewayV2::Api', { Properties: { ProtocolType: 'HTTP' } }),
    )[0];
    expect(JSON.stringify(origin?.DomainName)).toContain(`{"Ref":"${httpApiId}"}`);
  });

  it('has no custom error responses, which would turn API 403/404 answers into index.html', () => {
    expect(distributionConfig().CustomErrorResponses).toBeUndefined();
  });

  it('sends CSP, HSTS, nosniff and no-framing headers on every behaviour', () => {
    synth.template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: {
          ContentSecurityPolicy: {
            ContentSecurityPolicy: Match.anyValue(),
            Override: true,
          },
          StrictTransportSecurity: {
            AccessControlMaxAgeSec: 63072000,
            IncludeSubdomains: true,
            Override: true,
          },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
        },
      },
    });
    const [policy] = Object.values(synth.template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    const csp = JSON.stringify(
      policy?.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy,
    );
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/connect-src 'self' wss:\/\/",\{"Ref":"WebSocketApi/);
    const config = distributionConfig();
    for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
      expect(behavior.ResponseHeadersPolicyId).toBeDefined();
    }
  });
});

describe('SPA fallback function', { timeout: SYNTH_TIMEOUT_MS }, () => {
  // The CloudFront Functions runtime is plain JavaScript with a global `handler`: run the same code.
  const handler = new Function(`${SPA_FALLBACK_CODE}; return handler;`)() as (event: {
    request: { uri: string };
  }) => { uri: string };
  const cases = [
    { name: 'root', uri: '/', expected: '/index.html' },
    { name: 'client route', uri: '/health', expected: '/index.html' },
    { name: 'nested client route with a date', uri: '/day/2026-01-01', expected: '/index.html' },
    { name: 'trailing slash', uri: '/settings/', expected: '/index.html' },
    { name: 'hashed bundle', uri: '/main-LG3FXJIQ.js', expected: '/main-LG3FXJIQ.js' },
    { name: 'chunk in a folder', uri: '/chunks/chart-AB12.js', expected: '/chunks/chart-AB12.js' },
    { name: 'runtime config', uri: '/config.json', expected: '/config.json' },
  ];
  for (const { name, uri, expected } of cases) {
    it(`${name}: ${uri} → ${expected}`, () => {
      expect(handler({ request: { uri } }).uri).toBe(expected);
    });
  }
});

/** The files a site deployment uploads: its asset sources, as staged in the cloud assembly. */
// biome-ignore lint/suspicious/noExplicitAny: a template resource as aws-cdk-lib/assertions types it.
type TemplateResource = { [key: string]: any };

function uploadedFiles(deployment: TemplateResource): string[] {
  const files: string[] = [];
  for (const key of deployment.Properties.SourceObjectKeys) {
    const hash = String(JSON.stringify(key).match(/([0-9a-f]{64})\.zip/)?.[1]);
    const dir = join(synth.assemblyDir, `asset.${hash}`);
    for (const item of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (item.isFile()) files.push(relative(dir, join(item.parentPath, item.name)));
    }
  }
  return files.sort();
}

function siteDeployments() {
  const all = synth.template.findResources('Custom::CDKBucketDeployment');
  const byCache = (value: string): [string, TemplateResource] => {
    const found = Object.entries(all).find(
      ([, d]) => d.Properties.SystemMetadata?.['cache-control'] === value,
    );
    if (!found) throw new Error(`no site deployment with cache-control ${value}`);
    return found;
  };
  return { immutable: byCache('public, max-age=31536000, immutable'), entry: byCache('no-cache') };
}

describe('site deployment', { timeout: SYNTH_TIMEOUT_MS }, () => {
  it('tells hashed files from fixed entry files by name, whatever files the build adds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'site-classify-'));
    for (const file of [...FIXTURE_SITE.hashed, ...FIXTURE_SITE.entry]) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), '');
    }
    expect(classifySiteFiles(dir)).toEqual({
      hashed: [...FIXTURE_SITE.hashed],
      entry: [...FIXTURE_SITE.entry],
    });
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads only hashed files with a one-year immutable cache, never pruning old ones, before the entry files', () => {
    const { immutable, entry } = siteDeployments();
    expect(immutable[1].Properties).toMatchObject({ Prune: false });
    expect(immutable[1].Properties.DistributionPaths).toBeUndefined();
    expect(uploadedFiles(immutable[1])).toEqual([...FIXTURE_SITE.hashed]);
    expect(entry[1].DependsOn).toContain(immutable[0]);
  });

  it('uploads index.html, sw.js, the manifest, icons and config.json with no-cache and invalidates each of them', () => {
    const { entry } = siteDeployments();
    expect(entry[1].Properties.Prune).toBe(false);
    // config.json is rendered by the stack (Source.jsonData), everything else comes from the build.
    expect(uploadedFiles(entry[1])).toEqual([...FIXTURE_SITE.entry, 'config.json'].sort());
    expect([...entry[1].Properties.DistributionPaths].sort()).toEqual(
      [...FIXTURE_SITE.entry, 'config.json'].map((f) => `/${f}`).sort(),
    );
    expect(JSON.stringify(entry[1].Properties.SourceMarkers)).toMatch(/"Ref":"WebSocketApi/);
  });
});

describe('site deployment without a build', { timeout: SYNTH_TIMEOUT_MS }, () => {
  it('deploys a placeholder page and warns, instead of failing synth, when web/dist is missing', () => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'NoBuild');
    const missing = join(tmpdir(), `no-web-dist-${process.pid}`);
    new WebHosting(stack, 'Web', {
      distDir: missing,
      apiDomainName: 'abc.execute-api.eu-west-1.amazonaws.com',
      originVerify: { header: 'x-origin-verify', value: 'not-a-real-secret' },
      webSocket: undefined,
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::CDKBucketDeployment', 1);
    Annotations.fromStack(stack).hasWarning(
      '/NoBuild/Web',
      Match.stringLikeRegexp('Run `npm run build` first'),
    );
    const [policy] = Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    const csp = policy?.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy;
    expect(csp.ContentSecurityPolicy).toContain("connect-src 'self';");
  });
});
