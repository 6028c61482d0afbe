// The site: a private S3 bucket behind CloudFront (origin access control), with `/api/*` forwarded to
// the HTTP API so the app, its cookie and its API share one origin.
//
//   viewer ──HTTPS──► CloudFront ──┬── /api/*  ──► HTTP API ($default stage)   no cache, all viewer data but Host,
//                                  │                                            plus the x-origin-verify secret
//                                  └── default ──► S3 (OAC)                     SPA routes rewritten to /index.html
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Annotations, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { SiteConfig } from '../../core/schemas.ts';
import { contentSecurityPolicy, SECURITY_HEADER_SETTINGS } from './content-security-policy.ts';

export interface WebHostingProps {
  /** Built site (`npm run build` → web/dist); a placeholder page is deployed when it is missing. */
  readonly distDir: string;
  /** `<api-id>.execute-api.<region>.amazonaws.com` */
  readonly apiDomainName: string;
  /** The secret header CloudFront adds to every `/api/*` origin request; the handlers refuse requests without it. */
  readonly originVerify: { header: string; value: string };
  /** The browser's WebSocket URL and its origin; undefined when the app has no WebSocket API (polling only). */
  readonly webSocket: { url: string; origin: string } | undefined;
}

/** Client-side routes have no file extension; everything with one is a real object in the bucket. */
export const SPA_FALLBACK_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.indexOf('.', uri.lastIndexOf('/')) === -1) request.uri = '/index.html';
  return request;
}`;

export class WebHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Site', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Only build output lives here; `npm run deploy` recreates all of it.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'routine-sync: CSP, HSTS, nosniff, no framing',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy(props.webSocket?.origin),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(SECURITY_HEADER_SETTINGS.hstsMaxAgeSeconds),
          includeSubdomains: SECURITY_HEADER_SETTINGS.hstsIncludeSubdomains,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: {
          frameOption: cloudfront.HeadersFrameOption[SECURITY_HEADER_SETTINGS.frameOption],
          override: true,
        },
        referrerPolicy: {
          referrerPolicy: SECURITY_HEADER_SETTINGS.referrerPolicy as cloudfront.HeadersReferrerPolicy,
          override: true,
        },
      },
    });
    this.distribution = new cloudfront.Distribution(this, 'Cdn', {
      comment: 'routine-sync site and same-origin API',
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
        functionAssociations: [
          {
            eventType: cloudfront.FunctionEventType.VIEWER_REQUEST,
            function: new cloudfront.Function(this, 'SpaFallback', {
              runtime: cloudfront.FunctionRuntime.JS_2_0,
              code: cloudfront.FunctionCode.fromInline(SPA_FALLBACK_CODE),
              comment: 'Serve index.html for client-side routes',
            }),
          },
        ],
      },
      additionalBehaviors: {
        // No custom error responses anywhere: they would turn the API's own 403/404 into index.html.
        '/api/*': {
          origin: new origins.HttpOrigin(props.apiDomainName, {
            protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
            // CloudFront overwrites a viewer's header of the same name, so a viewer cannot supply it.
            customHeaders: { [props.originVerify.header]: props.originVerify.value },
          }),
          // HTTPS only, no redirect: a redirected POST would lose its body.
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
          // Handlers compress large bodies themselves (br/gzip); CloudFront must not re-encode them.
          compress: false,
        },
      },
    });
    this.deploySite(props);
  }

  get url(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }

  private deploySite(props: WebHostingProps): void {
    const indexPath = join(props.distDir, 'index.html');
    const built = existsSync(indexPath);
    if (!built) {
      Annotations.of(this).addWarningV2(
        'routine-sync:web-dist-missing',
        `${indexPath} not found: deploying a placeholder page. Run \`npm run build\` first (npm run deploy does).`,
      );
    }
    const files = built ? classifySiteFiles(props.distDir) : { hashed: [], entry: [] };
    // Hashed files never change under one name: cache them for a year, and never prune them, so a
    // tab still running the previous index.html can lazy-load its chunks after a deploy.
    const assets =
      files.hashed.length > 0
        ? new s3deploy.BucketDeployment(this, 'Assets', {
            sources: [s3deploy.Source.asset(props.distDir, { exclude: files.entry })],
            destinationBucket: this.bucket,
            prune: false,
            cacheControl: [s3deploy.CacheControl.fromString('public, max-age=31536000, immutable')],
            memoryLimit: 512,
          })
        : undefined;
    // Every file without a hash in its name (index.html, sw.js, config.json, the manifest, icons) is
    // revalidated on each use and invalidated at the edge on deploy, or browsers keep an old service
    // worker, or an index.html whose bundles (or WebSocket URL) no longer exist.
    const entrySources = [
      ...(built ? [s3deploy.Source.asset(props.distDir, { exclude: files.hashed })] : []),
      ...(built ? [] : [s3deploy.Source.data('index.html', PLACEHOLDER_HTML)]),
      s3deploy.Source.jsonData('config.json', {
        webSocketUrl: props.webSocket?.url ?? null,
      } satisfies SiteConfig),
    ];
    const entryPaths = [...new Set([...(built ? files.entry : ['index.html']), 'config.json'])];
    const entry = new s3deploy.BucketDeployment(this, 'Entry', {
      sources: entrySources,
      destinationBucket: this.bucket,
      prune: false,
      cacheControl: [s3deploy.CacheControl.fromString('no-cache')],
      distribution: this.distribution,
      distributionPaths: entryPaths.map((path) => `/${path}`),
      memoryLimit: 512, // the same as above, so both share one deployment handler
    });
    if (assets) entry.node.addDependency(assets);
  }
}

/** esbuild's `[name]-[hash]`: eight upper-case letters or digits before the extension(s), e.g. `main-LG3FXJIQ.js.map`. */
export const HASHED_FILE_NAME = /-[A-Z0-9]{8}(\.[A-Za-z0-9]+)+$/;

/** The built site's files (paths relative to it, `/`-separated), split by whether the name carries a content hash. */
export function classifySiteFiles(distDir: string): { hashed: string[]; entry: string[] } {
  const hashed: string[] = [];
  const entry: string[] = [];
  for (const item of readdirSync(distDir, { recursive: true, withFileTypes: true })) {
    if (!item.isFile()) continue;
    const path = relative(distDir, join(item.parentPath, item.name)).split('\\').join('/');
    (HASHED_FILE_NAME.test(item.name) ? hashed : entry).push(path);
  }
  return { hashed: hashed.sort(), entry: entry.sort() };
}

const PLACEHOLDER_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Routine Sync</title></head>
<body><p>The web app was not built when this stack was synthesized. Run <code>npm run deploy</code>.</p></body>
</html>
`;
