// The responding stack: the declaration's rule on the Murmur bus invokes the respond Lambda with
// MESSAGE_ANALYSED (the handler `murmur start` runs in-process), which answers through a Lex V2
// bot built from the chat bot definition, or with an annotated copy of a photo in the media
// bucket, and publishes SEND_TWEET as murmur.responding.
import { fileURLToPath } from 'node:url';
import {
  grantPublish,
  IdempotencyTable,
  LAMBDA_BUNDLING,
  lookupMediaBucket,
  lookupMurmurBus,
  renderService,
  serviceFunction,
  tagAsMurmurService,
} from '@murmur/cdk-constructs';
import { DEFAULT_RETRY_POLICY } from '@murmur/ports';
import { Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ANNOTATED_KEY_PREFIX } from '../src/annotate/annotate-image.js';
import { CHATBOT, type ChatbotDefinition } from '../src/chatbot/definition.js';
import { RESPONDING_RULE_NAME, respondingService } from '../src/declaration.js';
import { REPLY_POLICY_ENV, RESPONDING_ENV } from '../src/lambda/env.js';
import { DEFAULT_REPLY_POLICY, type ReplyPolicy, replyPolicyFromEnv } from '../src/policy.js';
import { REPLY_ONCE } from '../src/respond.js';
import { IMAGE_LAYER_FONTCONFIG_FILE, ImageLayer } from './image-layer.js';
import { ChatbotLexBot } from './lex-bot.js';

/** Photos are read under this prefix: analysis stores them there (its MEDIA_KEY_PREFIX). */
export const MEDIA_READ_PREFIX = 'media/';

export const RESPONDING_DEFAULTS = {
  logRetention: logs.RetentionDays.ONE_MONTH,
  /**
   * The slowest path: read a photo (X serves up to 4096 px), decode, draw, encode, write the copy;
   * then the reply records and PutEvents. Annotating a 4096 x 4096 photo took 1.2-2.4 s on one
   * core of a development machine (an 11.6 MB worst-case noise image: 3.6-5.1 s); 1,024 MB gives
   * Lambda about 0.6 of a vCPU, so 30 s leaves room for S3, Lex and a cold start. It stays under
   * the reply claim's in-progress time (120 s), so a timed-out attempt is never taken for a live one.
   */
  respondTimeout: Duration.seconds(30),
  respondMemorySize: 1024,
  /** Lambda's asynchronous retries of a failed respond invocation (its maximum). */
  asyncRetryAttempts: 2,
} as const;

export interface RespondingStackProps extends StackProps {
  /** Retention of the two functions' logs. @default one month */
  logRetention?: logs.RetentionDays;
  /**
   * Who gets a reply, as `murmur start` reads it from MURMUR_REPLY_* (docs/responding.md). Checked
   * at synth. @default DEFAULT_REPLY_POLICY: nobody ignored, 5 replies per user per hour, no blur
   */
  replyPolicy?: Partial<ReplyPolicy>;
  /** @default CHATBOT, the definition the local bot is trained on */
  chatbot?: ChatbotDefinition;
  /** Code of the respond function; tests pass inline code. @default the bundled src/lambda/respond.ts */
  respondCode?: lambda.Code;
  /** Code of the fulfilment function; tests pass inline code. @default the bundled src/lambda/fulfilment.ts */
  fulfilmentCode?: lambda.Code;
}

const LAMBDA_DIR = new URL('../src/lambda/', import.meta.url);

/** The policy as the function's MURMUR_REPLY_* variables, checked by the parser the function uses. */
export function replyPolicyEnvironment(policy: Partial<ReplyPolicy> = {}): Record<string, string> {
  const full = { ...DEFAULT_REPLY_POLICY, ...policy };
  const bad = full.ignore.find((entry) => !/^@?\w{1,50}$/.test(entry.trim()));
  if (bad !== undefined) {
    throw new Error(`RespondingStack replyPolicy.ignore: "${bad}" is not an X account id or screen name`);
  }
  const env = {
    [REPLY_POLICY_ENV.ignore]: full.ignore.map((e) => e.trim()).join(','),
    [REPLY_POLICY_ENV.perUser]: `${full.perUser.replies}/${full.perUser.windowSeconds}`,
    [REPLY_POLICY_ENV.blurFaces]: String(full.blurUnrecognizedFaces),
  };
  try {
    replyPolicyFromEnv(env);
  } catch (error) {
    throw new Error(`RespondingStack replyPolicy: ${(error as Error).message}`);
  }
  return env;
}

export class RespondingStack extends Stack {
  readonly bus: events.IEventBus;
  readonly mediaBucket: s3.IBucket;
  readonly idempotencyTable: IdempotencyTable;
  readonly respond: lambda.Function;
  readonly fulfilment: lambda.Function;
  readonly chatbot: ChatbotLexBot;
  readonly imageLayer: ImageLayer;
  /** The declaration's rule on MESSAGE_ANALYSED. */
  readonly rule: events.Rule;
  /**
   * Where nothing is lost: events EventBridge could not deliver to the function, and invocations
   * that still failed after Lambda's retries (the function's on-failure destination).
   */
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: RespondingStackProps = {}) {
    super(scope, id, props);
    const logRetention = props.logRetention ?? RESPONDING_DEFAULTS.logRetention;
    const definition = props.chatbot ?? CHATBOT;
    const policyEnv = replyPolicyEnvironment(props.replyPolicy);
    if (RESPONDING_DEFAULTS.respondTimeout.toSeconds() >= REPLY_ONCE.inProgressSeconds) {
      throw new Error(
        'the respond timeout must stay below the reply claim time (REPLY_ONCE.inProgressSeconds)',
      );
    }
    // Through SSM, not exports: plumbing and analysis stay free to change.
    this.bus = lookupMurmurBus(this);
    this.mediaBucket = lookupMediaBucket(this);

    // Reply records expire within a month; losing them could at worst answer a replay again.
    this.idempotencyTable = new IdempotencyTable(this, 'IdempotencyTable');

    this.fulfilment = this.respondingFunction('Fulfilment', {
      entry: 'fulfilment.ts',
      code: props.fulfilmentCode,
      description: 'Murmur responding: Lex V2 code hook (jokes, facts and help from the corpora in the repo)',
      roleDescription: 'Murmur responding Lex fulfilment: its own log group only.',
      // In-memory answers; Lex waits for them.
      timeout: Duration.seconds(10),
      memorySize: 256,
      logRetention,
      environment: {},
    });
    this.chatbot = new ChatbotLexBot(this, 'Chatbot', { definition, fulfilment: this.fulfilment });

    this.imageLayer = new ImageLayer(this, 'ImageLayer');
    this.respond = this.respondingFunction('Respond', {
      entry: 'respond.ts',
      code: props.respondCode,
      description:
        'Murmur responding: MESSAGE_ANALYSED -> at most one SEND_TWEET (Lex chat bot, annotated photos)',
      roleDescription:
        'Murmur responding: publish as murmur.responding, reply records, read photos and write annotated copies in the media bucket, RecognizeText on the bot alias.',
      timeout: RESPONDING_DEFAULTS.respondTimeout,
      memorySize: RESPONDING_DEFAULTS.respondMemorySize,
      logRetention,
      layers: [this.imageLayer.layer],
      environment: {
        [RESPONDING_ENV.busName]: this.bus.eventBusName,
        [RESPONDING_ENV.idempotencyTable]: this.idempotencyTable.tableName,
        [RESPONDING_ENV.mediaBucket]: this.mediaBucket.bucketName,
        [RESPONDING_ENV.lexBotId]: this.chatbot.botId,
        [RESPONDING_ENV.lexBotAliasId]: this.chatbot.aliasId,
        [RESPONDING_ENV.lexLocaleId]: this.chatbot.localeId,
        ...policyEnv,
        // The layer's font, for the names drawn on photos.
        FONTCONFIG_FILE: IMAGE_LAYER_FONTCONFIG_FILE,
      },
    });
    this.grantRespond(this.respond);

    const service = respondingService({
      policy: DEFAULT_REPLY_POLICY,
      chatbot: () => {
        throw new Error('the chat bot is called by the respond function, never at synth');
      },
    });
    const rendered = renderService(this, this.bus, service, {
      handlerFunctions: { respond: this.respond },
    });
    this.rule = rendered.rules.get(RESPONDING_RULE_NAME)!;
    this.deadLetterQueue = rendered.deadLetterQueues.get(`${RESPONDING_RULE_NAME}/respond`)!;

    // EventBridge's DLQ only holds events it could not deliver; once Lambda has accepted one, a
    // handler error is retried by Lambda and then handed to this destination, or it would be lost.
    const target = service.subscriptions
      .find((s) => s.ruleName === RESPONDING_RULE_NAME)!
      .targets.find((t) => t.kind === 'handler' && t.handler === 'respond');
    const maxAge =
      (target?.kind === 'handler' ? target.retryPolicy : undefined)?.maximumEventAgeInSeconds ??
      DEFAULT_RETRY_POLICY.maximumEventAgeInSeconds;
    this.respond.configureAsyncInvoke({
      retryAttempts: RESPONDING_DEFAULTS.asyncRetryAttempts,
      // Lambda keeps an asynchronous event at most 6 hours.
      maxEventAge: Duration.seconds(Math.min(maxAge, 6 * 3600)),
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
    });
    tagAsMurmurService(this, 'responding');
  }

  /**
   * What the respond handler does on AWS, and nothing more: PutEvents as murmur.responding only,
   * the reply records, GetObject on photos and PutObject on annotated copies, RecognizeText on
   * the one bot alias.
   */
  private grantRespond(fn: lambda.Function): void {
    grantPublish(this.bus, fn, 'responding');
    this.idempotencyTable.grantIdempotency(fn);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadPhotos',
        actions: ['s3:GetObject'],
        resources: [this.mediaBucket.arnForObjects(`${MEDIA_READ_PREFIX}*`)],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'WriteAnnotatedCopies',
        actions: ['s3:PutObject'],
        resources: [this.mediaBucket.arnForObjects(`${ANNOTATED_KEY_PREFIX}*`)],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'AskTheChatbot',
        actions: ['lex:RecognizeText'],
        resources: [this.chatbot.aliasArn],
      }),
    );
    Validations.of(fn.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::<${this.mediaBucketParameterId()}>/${MEDIA_READ_PREFIX}*]`,
      reason:
        'Every photo has its own key (media/YYYY/MM/DD/<messageId>/<index>-<mediaKey>.<ext>), unknown until the message arrives: GetObject is granted under the media/ prefix of the one media bucket.',
    });
    Validations.of(fn.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::<${this.mediaBucketParameterId()}>/${ANNOTATED_KEY_PREFIX}*]`,
      reason:
        'Every annotated copy gets a new key derived from its photo (annotated/YYYY/MM/DD/<messageId>/...); PutObject is granted under the annotated/ prefix only, so originals can never be overwritten.',
    });
  }

  /** How cdk-nag spells the media bucket's name: the template parameter it is read from (SSM). */
  private mediaBucketParameterId(): string {
    const resolved = this.resolve(this.mediaBucket.bucketName) as { Ref?: string };
    if (!resolved.Ref) throw new Error('the media bucket name is expected to be an SSM parameter reference');
    return resolved.Ref;
  }

  /** One function (`serviceFunction`: its own role and log group); sharp comes from the image layer. */
  private respondingFunction(
    id: string,
    options: {
      entry: string;
      code: lambda.Code | undefined;
      description: string;
      roleDescription: string;
      timeout: Duration;
      memorySize: number;
      logRetention: logs.RetentionDays;
      environment: Record<string, string>;
      layers?: lambda.ILayerVersion[];
    },
  ): lambda.Function {
    return serviceFunction(this, id, {
      ...options,
      service: 'responding',
      entry: fileURLToPath(new URL(options.entry, LAMBDA_DIR)),
      // sharp is native: it comes from the image layer, not the bundle.
      bundling: { ...LAMBDA_BUNDLING, externalModules: ['sharp'] },
    });
  }
}
