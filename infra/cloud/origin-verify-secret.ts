// The value CloudFront sends in `x-origin-verify` on every `/api/*` origin request, so the HTTP API's
// handlers can refuse callers that reach execute-api directly (functions/lib/origin-verify.ts).
//
//   Secrets Manager {"current": <48 random alphanumerics>, "previous"?: …}
//     ├── CloudFront origin custom header: a CloudFormation dynamic reference, resolved at deploy time
//     └── HTTP route functions: GetSecretValue on this one secret (ORIGIN_VERIFY_SECRET_ARN)
//
// Secrets Manager generates the value when the stack is first created, so it is per deployment and
// never in the repository, the synthesized template or cdk.out. Rotation is manual (docs/deploy.md):
// write a new `current` (old one as `previous`), then deploy with `-c originVerifySecretVersion=<id>`
// so CloudFormation re-resolves the reference; the functions accept both values meanwhile.
import { RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ORIGIN_VERIFY_HEADER } from '../../functions/lib/origin-verify.ts';

export interface OriginVerifySecretProps {
  /** Pins the header to one version of the secret; changing it makes CloudFront pick up a rotation. */
  readonly versionId?: string | undefined;
}

export class OriginVerifySecret extends Construct {
  readonly header = ORIGIN_VERIFY_HEADER;
  readonly secret: secretsmanager.Secret;
  private readonly versionId: string | undefined;

  constructor(scope: Construct, id: string, props: OriginVerifySecretProps = {}) {
    super(scope, id);
    this.versionId = props.versionId;
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: `routine-sync: the ${ORIGIN_VERIFY_HEADER} value CloudFront sends to the HTTP API`,
      // Alphanumerics only: any header value accepts them, and 48 of them are ~285 bits.
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'current',
        passwordLength: 48,
        excludePunctuation: true,
        includeSpace: false,
      },
      // Nothing outside this stack uses it; a new stack generates its own.
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }

  /** `{{resolve:secretsmanager:…:SecretString:current::<version>}}`: the template holds the reference only. */
  get headerValue(): string {
    return SecretValue.secretsManager(this.secret.secretArn, {
      jsonField: 'current',
      ...(this.versionId ? { versionId: this.versionId } : {}),
    }).unsafeUnwrap();
  }
}
