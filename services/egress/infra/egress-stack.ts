// The egress stack: SEND_TWEET on the Murmur bus -> an SQS queue -> the egress Lambda, which posts
// the reply to X with the same handler `murmur start` runs. Queued so that X's 429 holds the
// message until the rate-limit reset instead of a sleeping function.
import { fileURLToPath } from 'node:url';
import {
  grantPublish,
  IdempotencyTable,
  lookupMediaBucket,
  lookupMurmurBus,
  type QueuedHandlerTarget,
  renderService,
  serviceFunction,
  tagAsMurmurService,
} from '@murmur/cdk-constructs';
import { Duration, SecretValue, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { EGRESS_HANDLER, EGRESS_RULE_NAME, egressService } from '../src/declaration.js';
import { EGRESS_ENV } from '../src/lambda/env.js';
import { EGRESS_SECRET_KEYS, UNSET_SECRET_VALUE } from '../src/lambda/secret.js';

export const EGRESS_DEFAULTS = {
  /**
   * A reply is one `users/me` (first time), up to 4 calls for an image, one post, one PutEvents,
   * and after a crash a timeline lookup: seconds, with X's tail latency on top.
   */
  timeout: Duration.seconds(60),
  logRetention: logs.RetentionDays.ONE_MONTH,
  /** Where responding writes annotated copies (`annotated/...`): all egress may read. */
  mediaKeyPrefixes: ['annotated/'],
  /** Replies go out two at a time at most: X counts posts per account, bursts only earn 429s. */
  maxConcurrency: 2,
} as const;

export interface EgressStackProps extends StackProps {
  /** The function's timeout; the queue hides a received message 6 times as long. @default 60 s */
  timeout?: Duration;
  /** Retention of the function's log. @default one month */
  logRetention?: logs.RetentionDays;
  /** Code for the function; tests pass inline code. @default the bundled src/lambda/send-tweet.ts */
  code?: lambda.Code;
  /**
   * The media bucket SEND_TWEET's `mediaKey` names. @default the analysis stack's, found through
   * its SSM parameter `/murmur/media/bucket` (deploy Murmur-Analysis first)
   */
  mediaBucket?: s3.IBucket;
  /** Key prefixes of that bucket the function may read. @default ['annotated/'] */
  mediaKeyPrefixes?: readonly string[];
  /**
   * A secret holding the bot's four OAuth 1.0a values (X_API_KEY, X_CONSUMER_SECRET,
   * X_ACCESS_TOKEN, X_ACCESS_TOKEN_SECRET), e.g. one shared with another stack.
   * @default a new secret with placeholders, to fill in after the deploy (docs/egress.md)
   */
  xSecret?: secretsmanager.ISecret;
  /** Concurrent invocations reading the queue (2-1000). @default 2 */
  maxConcurrency?: number;
}

const ENTRY = fileURLToPath(new URL('../src/lambda/send-tweet.ts', import.meta.url));

export class EgressStack extends Stack {
  readonly bus: events.IEventBus;
  readonly mediaBucket: s3.IBucket;
  readonly secret: secretsmanager.ISecret;
  readonly idempotencyTable: IdempotencyTable;
  readonly function: lambda.Function;
  readonly rule: events.Rule;
  /** The queue between the rule and the function, and its dead-letter queue. */
  readonly queued: QueuedHandlerTarget;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: EgressStackProps = {}) {
    super(scope, id, props);
    const timeout = props.timeout ?? EGRESS_DEFAULTS.timeout;
    // Through SSM, not exports: the plumbing and analysis stacks stay free to change.
    this.bus = lookupMurmurBus(this);
    this.mediaBucket = props.mediaBucket ?? lookupMediaBucket(this);
    this.secret = props.xSecret ?? this.createSecret();

    // Records live a month at most: what they guard against (a second post) is over by then.
    this.idempotencyTable = new IdempotencyTable(this, 'IdempotencyTable');

    this.function = this.createFunction(timeout, props);
    this.grantFunction(props.mediaKeyPrefixes ?? EGRESS_DEFAULTS.mediaKeyPrefixes);

    // The declaration's rule, rendered as rule -> SQS -> this function.
    const service = egressService({
      poster: async () => {
        throw new Error('replies are posted by the egress function, never at synth');
      },
    });
    const rendered = renderService(this, this.bus, service, {
      handlerFunctions: { [EGRESS_HANDLER]: this.function },
      queued: {
        [EGRESS_HANDLER]: {
          handlerTimeout: timeout,
          maxConcurrency: props.maxConcurrency ?? EGRESS_DEFAULTS.maxConcurrency,
        },
      },
    });
    this.rule = rendered.rules.get(EGRESS_RULE_NAME)!;
    this.queued = rendered.queuedTargets.get(`${EGRESS_RULE_NAME}/${EGRESS_HANDLER}`)!;
    this.deadLetterQueue = this.queued.deadLetterQueue;
    tagAsMurmurService(this, 'egress');
  }

  /**
   * Created with its documented shape and placeholder values; the function refuses to post
   * (EgressConfigError, naming the keys) until they are replaced (docs/egress.md).
   */
  private createSecret(): secretsmanager.Secret {
    const secret = new secretsmanager.Secret(this, 'XSecret', {
      description: `Murmur egress: the bot account's X credentials (OAuth 1.0a user context). JSON {${EGRESS_SECRET_KEYS.map((k) => `"${k}": "..."`).join(', ')}}`,
      // Placeholders, not secrets: the real values are put in by hand after the deploy.
      secretObjectValue: Object.fromEntries(
        EGRESS_SECRET_KEYS.map((key) => [key, SecretValue.unsafePlainText(UNSET_SECRET_VALUE)]),
      ),
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        "The secret holds the bot's X API key and access token, which only X's developer portal can regenerate; a rotation Lambda cannot change them on X's side.",
    });
    return secret;
  }

  /**
   * Its own role and log group (`serviceFunction`). The event source mapping adds receive, delete
   * and change-visibility on its queue.
   */
  private createFunction(timeout: Duration, props: EgressStackProps): lambda.Function {
    return serviceFunction(this, 'SendTweet', {
      service: 'egress',
      roleDescription:
        'Murmur egress: read its SEND_TWEET queue, publish as murmur.egress, idempotency records, read the X secret and annotated media.',
      description: 'Murmur egress: SEND_TWEET -> X, once per source message (TWEET_SENT / TWEET_FAILED)',
      timeout,
      memorySize: 512,
      logRetention: props.logRetention ?? EGRESS_DEFAULTS.logRetention,
      entry: ENTRY,
      code: props.code,
      environment: {
        [EGRESS_ENV.busName]: this.bus.eventBusName,
        [EGRESS_ENV.idempotencyTable]: this.idempotencyTable.tableName,
        [EGRESS_ENV.mediaBucket]: this.mediaBucket.bucketName,
        [EGRESS_ENV.secretArn]: this.secret.secretArn,
        // A delivery's claim outlives any invocation (three timeouts), so none is overtaken.
        [EGRESS_ENV.claimSeconds]: String(timeout.toSeconds() * 3),
      },
    });
  }

  private grantFunction(mediaKeyPrefixes: readonly string[]): void {
    const fn = this.function;
    grantPublish(this.bus, fn, 'egress');
    this.idempotencyTable.grantIdempotency(fn);
    this.secret.grantRead(fn);
    if (mediaKeyPrefixes.length === 0) return;
    for (const prefix of mediaKeyPrefixes) {
      if (!/^[A-Za-z0-9!_.'()-][A-Za-z0-9!_.'()/-]*\/$/.test(prefix)) {
        throw new Error(
          `EgressStack mediaKeyPrefixes: "${prefix}" must be a key prefix ending in / (no wildcards)`,
        );
      }
    }
    const objects = mediaKeyPrefixes.map((prefix) => this.mediaBucket.arnForObjects(`${prefix}*`));
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: objects }));
    for (const arn of objects) {
      Validations.of(fn.role!).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${this.nagString(arn)}]`,
        reason:
          'Every annotated copy gets its own key (annotated/<date>/<message>/<photo>.jpg), unknown until the reply is made; the grant is GetObject under one prefix of the media bucket only.',
      });
    }
  }

  /** How cdk-nag spells a resource in a finding: `<LogicalId>` for a Ref, `<LogicalId.Attr>` for a GetAtt. */
  private nagString(value: string): string {
    const spell = (part: unknown): string => {
      if (typeof part === 'string') return part;
      const token = part as {
        Ref?: string;
        'Fn::GetAtt'?: [string, string];
        'Fn::Join'?: [string, unknown[]];
      };
      if (token.Ref) return `<${token.Ref}>`;
      if (token['Fn::GetAtt']) return `<${token['Fn::GetAtt'].join('.')}>`;
      if (token['Fn::Join']) return token['Fn::Join'][1].map(spell).join(token['Fn::Join'][0]);
      throw new Error(`cannot spell ${JSON.stringify(part)} as cdk-nag does`);
    };
    return spell(this.resolve(value));
  }
}
