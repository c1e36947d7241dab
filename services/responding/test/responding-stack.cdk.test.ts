import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { declaredEventPatterns, renderedEventPatterns } from '@murmur/cdk-constructs';
import {
  acknowledgedIn,
  actionsOf,
  expectNoFindings,
  expectServiceRoles,
  logicalId,
  policyStatements,
  type Resource,
  resource,
  statementsOf,
  synthWithNag,
} from '@murmur/cdk-constructs/testing';
// The embedded runtime's reading of the same declaration, to prove both hold one pattern.
import { planServices } from '@murmur/embedded-runtime';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ChatbotLexBot, lexBotLocale } from '../infra/lex-bot.js';
import { RESPONDING_DEFAULTS, RespondingStack, replyPolicyEnvironment } from '../infra/responding-stack.js';
import {
  CHATBOT,
  type ChatbotDefinition,
  DEFAULT_REPLY_POLICY,
  FALLBACK_INTENT,
  RESPONDING_RULE_NAME,
  respondingService,
} from '../src/index.js';
import { RESPONDING_ENV } from '../src/lambda/env.js';
import { REPLY_ONCE } from '../src/respond.js';

const ENV = { account: '111122223333', region: 'eu-west-1' };
/** Each synth runs CDK's CloudFormation validation (a WASM engine) and stages the image layer. */
const SYNTH_BUDGET_MS = 120_000;
const CODE = lambda.Code.fromInline('export const handler = async () => ({});');

// Every app synthesizes under one temporary folder, removed afterwards (each holds a staged
// copy of the image layer, about 20 MB).
const OUT = mkdtempSync(join(tmpdir(), 'murmur-responding-cdk-'));
afterAll(() => {
  rmSync(OUT, { recursive: true, force: true });
});
const newApp = (context: Record<string, unknown> = {}) =>
  new App({ outdir: mkdtempSync(join(OUT, 'app-')), context });

interface RenderedIntent {
  Name: string;
  ParentIntentSignature?: string;
  SampleUtterances?: { Utterance: string }[];
  Slots?: { Name: string; SlotTypeName: string; ValueElicitationSetting: { SlotConstraint: string } }[];
  DialogCodeHook?: { Enabled: boolean };
  FulfillmentCodeHook?: { Enabled: boolean };
}
interface RenderedLocale {
  LocaleId: string;
  NluConfidenceThreshold: number;
  Intents: RenderedIntent[];
  SlotTypes: {
    Name: string;
    ValueSelectionSetting: { ResolutionStrategy: string };
    SlotTypeValues: { SampleValue: { Value: string }; Synonyms: { Value: string }[] }[];
  }[];
}

describe('RespondingStack', () => {
  let stack: RespondingStack;
  let template: Template;
  let tuned: Template;
  let bundled: Template;

  beforeAll(() => {
    // Inline code keeps these tests fast (the image layer is still staged: a local copy).
    const app = newApp();
    stack = new RespondingStack(app, 'Responding', { env: ENV, respondCode: CODE, fulfilmentCode: CODE });
    const custom = new RespondingStack(app, 'RespondingTuned', {
      env: ENV,
      respondCode: CODE,
      fulfilmentCode: CODE,
      replyPolicy: {
        ignore: ['OtherBot', '@spam_bot', '12345'],
        perUser: { replies: 2, windowSeconds: 600 },
      },
    });
    template = Template.fromStack(stack);
    tuned = Template.fromStack(custom);
    // The real NodejsFunctions, with bundling skipped (infra's nag test and `pnpm synth` bundle them).
    const unbundled = newApp({ 'aws:cdk:bundling-stacks': [] });
    bundled = Template.fromStack(new RespondingStack(unbundled, 'RespondingBundled', { env: ENV }));
  }, SYNTH_BUDGET_MS);

  describe('the Lex V2 bot, rendered from the chat bot definition', () => {
    const locale = () =>
      (resource(template, 'AWS::Lex::Bot', 'Chatbot').Properties.BotLocales as RenderedLocale[])[0]!;

    it('holds exactly the definition’s intents and sample utterances, plus Lex’s fallback', () => {
      const bot = resource(template, 'AWS::Lex::Bot', 'Chatbot').Properties;
      expect(bot.BotLocales as unknown[]).toHaveLength(1);
      const intents = locale().Intents;

      expect(intents.map((i) => i.Name)).toEqual([...CHATBOT.intents.map((i) => i.name), FALLBACK_INTENT]);
      for (const declared of CHATBOT.intents) {
        const rendered = intents.find((i) => i.Name === declared.name)!;
        expect(rendered.SampleUtterances!.map((u) => u.Utterance)).toEqual(declared.utterances);
      }
      expect(intents.at(-1)).toEqual({
        Name: FALLBACK_INTENT,
        Description: expect.any(String),
        ParentIntentSignature: 'AMAZON.FallbackIntent',
        FulfillmentCodeHook: { Enabled: true },
      });
    });

    it('holds the locale and the confidence threshold below which the fallback answers', () => {
      expect(locale()).toMatchObject({
        LocaleId: CHATBOT.locale,
        NluConfidenceThreshold: CHATBOT.confidenceThreshold,
      });
    });

    it('holds the slot as an optional slot of a custom type with the definition’s values and synonyms', () => {
      const fact = locale().Intents.find((i) => i.Name === 'TellFact')!;
      const [declared] = CHATBOT.intents.find((i) => i.name === 'TellFact')!.slots!;
      expect(fact.Slots).toEqual([
        expect.objectContaining({
          Name: 'topic',
          SlotTypeName: 'TopicValues',
          ValueElicitationSetting: expect.objectContaining({ SlotConstraint: 'Optional' }),
        }),
      ]);
      const [type] = locale().SlotTypes;
      expect(type!.Name).toBe('TopicValues');
      // The canonical value is what fulfilment matches a topic on, as the local bot reports it.
      expect(type!.ValueSelectionSetting).toEqual({ ResolutionStrategy: 'TOP_RESOLUTION' });
      expect(
        Object.fromEntries(
          type!.SlotTypeValues.map((v) => [
            v.SampleValue.Value,
            [v.SampleValue.Value, ...v.Synonyms.map((s) => s.Value)],
          ]),
        ),
      ).toEqual(
        Object.fromEntries(
          Object.entries(declared!.values).map(([value, synonyms]) => [
            value,
            [value, ...synonyms.filter((s) => s !== value)],
          ]),
        ),
      );
    });

    it('fulfils every intent through the code hook, with no dialog hook', () => {
      for (const intent of locale().Intents) {
        expect(intent.FulfillmentCodeHook).toEqual({ Enabled: true });
        if (intent.Name !== FALLBACK_INTENT) expect(intent.DialogCodeHook).toEqual({ Enabled: false });
      }
    });

    it('builds its locale on deploy, is not child-directed, and keeps a session five minutes', () => {
      template.hasResourceProperties('AWS::Lex::Bot', {
        Name: 'Responding-MurmurBot',
        AutoBuildBotLocales: true,
        DataPrivacy: { ChildDirected: false },
        IdleSessionTTLInSeconds: 300,
        RoleArn: { 'Fn::GetAtt': [logicalId(template, 'AWS::IAM::Role', 'ChatbotRole'), 'Arn'] },
      });
    });

    it('versions the built draft and points the alias’s locale code hook at the fulfilment Lambda', () => {
      const bot = logicalId(template, 'AWS::Lex::Bot', 'Chatbot');
      const version = logicalId(template, 'AWS::Lex::BotVersion', 'ChatbotVersion');
      template.hasResourceProperties('AWS::Lex::BotVersion', {
        BotId: { 'Fn::GetAtt': [bot, 'Id'] },
        BotVersionLocaleSpecification: [
          { LocaleId: 'en_US', BotVersionLocaleDetails: { SourceBotVersion: 'DRAFT' } },
        ],
      });
      template.hasResourceProperties('AWS::Lex::BotAlias', {
        BotId: { 'Fn::GetAtt': [bot, 'Id'] },
        BotAliasName: 'live',
        BotVersion: { 'Fn::GetAtt': [version, 'BotVersion'] },
        SentimentAnalysisSettings: { DetectSentiment: false },
        BotAliasLocaleSettings: [
          {
            LocaleId: 'en_US',
            BotAliasLocaleSetting: {
              Enabled: true,
              CodeHookSpecification: {
                LambdaCodeHook: {
                  CodeHookInterfaceVersion: '1.0',
                  LambdaArn: {
                    'Fn::GetAtt': [logicalId(template, 'AWS::Lambda::Function', 'Fulfilment'), 'Arn'],
                  },
                },
              },
            },
          },
        ],
      });
    });

    it('lets only the bot alias invoke the fulfilment Lambda: the permission’s SourceArn is the alias ARN', () => {
      const lexPermissions = Object.values(template.findResources('AWS::Lambda::Permission')).filter(
        (p) => (p as Resource).Properties.Principal === 'lexv2.amazonaws.com',
      ) as Resource[];
      expect(lexPermissions.map((p) => p.Properties)).toEqual([
        {
          Action: 'lambda:InvokeFunction',
          FunctionName: { 'Fn::GetAtt': [logicalId(template, 'AWS::Lambda::Function', 'Fulfilment'), 'Arn'] },
          Principal: 'lexv2.amazonaws.com',
          SourceAccount: ENV.account,
          SourceArn: { 'Fn::GetAtt': [logicalId(template, 'AWS::Lex::BotAlias', 'ChatbotAlias'), 'Arn'] },
        },
      ]);
    });

    it('gives the bot a role Lex alone may assume, from this account, with no permissions', () => {
      const roleId = logicalId(template, 'AWS::IAM::Role', 'ChatbotRole');
      const role = resource(template, 'AWS::IAM::Role', 'ChatbotRole').Properties;
      expect(role.AssumeRolePolicyDocument).toMatchObject({
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'lexv2.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': ENV.account },
              ArnLike: { 'aws:SourceArn': expect.anything() },
            },
          },
        ],
      });
      expect(role.ManagedPolicyArns).toBeUndefined();
      expect(role.Policies).toBeUndefined();
      expect(statementsOf(template, roleId)).toEqual([]);
    });

    it('makes a new version when the definition changes, and keeps it when it does not', () => {
      const versionOf = (definition: ChatbotDefinition) => {
        const app = newApp();
        const s = new RespondingStack(app, 'Responding', {
          env: ENV,
          respondCode: CODE,
          fulfilmentCode: CODE,
          chatbot: definition,
        });
        return s.resolve(s.chatbot.version.logicalId) as string;
      };
      const more: ChatbotDefinition = {
        ...CHATBOT,
        intents: CHATBOT.intents.map((i) =>
          i.name === 'TellJoke' ? { ...i, utterances: [...i.utterances, 'tell me something funny'] } : i,
        ),
      };
      const current = logicalId(template, 'AWS::Lex::BotVersion', 'ChatbotVersion');

      expect(versionOf(structuredClone(CHATBOT))).toBe(current);
      expect(versionOf(more)).not.toBe(current);
    });
  });

  describe('refuses a definition Lex would refuse at deploy, at synth', () => {
    const withIntent = (patch: Partial<ChatbotDefinition['intents'][number]>): ChatbotDefinition => ({
      ...CHATBOT,
      intents: [
        ...CHATBOT.intents,
        {
          name: 'Extra',
          description: 'x',
          utterances: ['extra'],
          fulfilment: { responses: ['x'] },
          ...patch,
        },
      ],
    });
    it.each([
      [
        'an intent name with a space',
        withIntent({ name: 'Tell Joke' }),
        'chat bot: intent "Tell Joke" is not a Lex name',
      ],
      [
        'an intent called FallbackIntent',
        withIntent({ name: 'FallbackIntent' }),
        "chat bot: FallbackIntent is Lex's own; declare fallback responses in fallback",
      ],
      [
        'an intent without utterances',
        withIntent({ utterances: [] }),
        'chat bot: intent Extra has no sample utterance; Lex cannot build it',
      ],
      [
        'an utterance naming an undeclared slot',
        withIntent({ utterances: ['a fact about {colour}'] }),
        'chat bot: intent Extra: "a fact about {colour}" names undeclared slot {colour}',
      ],
      [
        'the same utterance in two intents',
        withIntent({ utterances: ['Tell me a joke'] }),
        'chat bot: "Tell me a joke" is an utterance of both TellJoke and Extra',
      ],
      [
        'an utterance over 200 characters',
        withIntent({ utterances: ['a'.repeat(201)] }),
        'is over 200 characters',
      ],
    ])('%s', (_what, definition, message) => {
      expect(() => lexBotLocale(definition)).toThrow(message);
    });

    it('a bot name Lex would refuse', () => {
      const app = newApp();
      const s = new RespondingStack(app, 'Ok', { env: ENV, respondCode: CODE, fulfilmentCode: CODE });
      expect(
        () =>
          new ChatbotLexBot(s, 'Other', {
            definition: CHATBOT,
            fulfilment: s.fulfilment,
            botName: 'Murmur Bot',
          }),
      ).toThrow('chat bot: bot "Murmur Bot" is not a Lex name');
    });
  });

  describe('the respond function', () => {
    const respondId = () => logicalId(template, 'AWS::Lambda::Function', 'Respond');

    it('runs on Node 22, arm64, with time and memory for annotating a photo, and the image layer', () => {
      const fn = resource(template, 'AWS::Lambda::Function', 'Respond').Properties;
      expect(fn).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Timeout: RESPONDING_DEFAULTS.respondTimeout.toSeconds(),
        MemorySize: RESPONDING_DEFAULTS.respondMemorySize,
        Layers: [{ Ref: logicalId(template, 'AWS::Lambda::LayerVersion', 'ImageLayer') }],
      });
      // A timed-out attempt must never be taken for one still running.
      expect(RESPONDING_DEFAULTS.respondTimeout.toSeconds()).toBeLessThan(REPLY_ONCE.inProgressSeconds);
      template.hasResourceProperties('AWS::Lambda::LayerVersion', {
        CompatibleArchitectures: ['arm64'],
        CompatibleRuntimes: ['nodejs22.x'],
      });
    });

    it('is configured by the environment the function reads', () => {
      const variables = (
        resource(template, 'AWS::Lambda::Function', 'Respond').Properties.Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables;
      expect(variables).toEqual({
        [RESPONDING_ENV.busName]: { Ref: expect.stringMatching(/^SsmParameterValuemurmurbusname/) },
        [RESPONDING_ENV.idempotencyTable]: {
          Ref: logicalId(template, 'AWS::DynamoDB::Table', 'IdempotencyTable'),
        },
        [RESPONDING_ENV.mediaBucket]: { Ref: expect.stringMatching(/^SsmParameterValuemurmurmediabucket/) },
        [RESPONDING_ENV.lexBotId]: { 'Fn::GetAtt': [logicalId(template, 'AWS::Lex::Bot', 'Chatbot'), 'Id'] },
        [RESPONDING_ENV.lexBotAliasId]: {
          'Fn::GetAtt': [logicalId(template, 'AWS::Lex::BotAlias', 'ChatbotAlias'), 'BotAliasId'],
        },
        [RESPONDING_ENV.lexLocaleId]: 'en_US',
        MURMUR_REPLY_IGNORE: '',
        MURMUR_REPLY_PER_USER: '5/3600',
        MURMUR_REPLY_BLUR_FACES: 'false',
        FONTCONFIG_FILE: '/opt/fonts/fonts.conf',
        POWERTOOLS_SERVICE_NAME: 'responding',
      });
    });

    it('takes the reply policy from the stack’s props, in the variables murmur start reads', () => {
      tuned.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({
            MURMUR_REPLY_IGNORE: 'OtherBot,@spam_bot,12345',
            MURMUR_REPLY_PER_USER: '2/600',
            MURMUR_REPLY_BLUR_FACES: 'false',
          }),
        },
      });
    });

    it.each([
      [
        { perUser: { replies: 0, windowSeconds: 60 } },
        'MURMUR_REPLY_PER_USER="0/60": both numbers must be at least 1',
      ],
      [
        { perUser: { replies: 1.5, windowSeconds: 60 } },
        'MURMUR_REPLY_PER_USER="1.5/60": expected <replies>/<seconds>',
      ],
      [{ ignore: ['a,b'] }, 'replyPolicy.ignore: "a,b" is not an X account id or screen name'],
    ])('refuses a reply policy murmur start would refuse: %j', (policy, message) => {
      expect(() => replyPolicyEnvironment(policy)).toThrow(message);
      const app = newApp();
      expect(
        () =>
          new RespondingStack(app, 'Bad', {
            env: ENV,
            respondCode: CODE,
            fulfilmentCode: CODE,
            replyPolicy: policy,
          }),
      ).toThrow(message);
    });

    it('is invoked by the declaration’s rule, with its retries and a dead-letter queue', () => {
      const rule = resource(template, 'AWS::Events::Rule', 'Subscriptions').Properties;
      const target = respondingService({ policy: DEFAULT_REPLY_POLICY, chatbot: async () => ({}) as never })
        .subscriptions[0]!.targets[0]!;
      expect(target.kind === 'handler' && target.retryPolicy).toBeTruthy();
      expect(rule).toMatchObject({
        Name: RESPONDING_RULE_NAME,
        EventBusName: { Ref: expect.stringMatching(/^SsmParameterValuemurmurbusname/) },
        Targets: [
          {
            Arn: { 'Fn::GetAtt': [respondId(), 'Arn'] },
            RetryPolicy: {
              MaximumRetryAttempts: 8,
              MaximumEventAgeInSeconds: 3600,
            },
            DeadLetterConfig: {
              Arn: { 'Fn::GetAtt': [logicalId(template, 'AWS::SQS::Queue', 'Subscriptions'), 'Arn'] },
            },
          },
        ],
      });
      // The whole event: the handler reads the envelope.
      expect((rule.Targets as Record<string, unknown>[])[0]).not.toHaveProperty('InputTransformer');
    });

    it('hands a failed invocation, after Lambda’s retries, to the same dead-letter queue: no handler error is lost', () => {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: respondId() },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 3600,
        DestinationConfig: {
          OnFailure: {
            Destination: { 'Fn::GetAtt': [logicalId(template, 'AWS::SQS::Queue', 'Subscriptions'), 'Arn'] },
          },
        },
      });
      template.resourceCountIs('AWS::SQS::Queue', 1);
      template.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
    });

    it('may do what the handler does and nothing more', () => {
      const queue = logicalId(template, 'AWS::SQS::Queue', 'Subscriptions');
      const bucketName = { Ref: expect.stringMatching(/^SsmParameterValuemurmurmediabucket/) };
      const objects = (prefix: string) => ({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', bucketName, `/${prefix}*`]],
      });
      expect(statementsOf(template, 'RespondRole')).toEqual([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [logicalId(template, 'AWS::Logs::LogGroup', 'RespondLogs'), 'Arn'] },
        },
        {
          Effect: 'Allow',
          Action: 'events:PutEvents',
          Resource: expect.anything(),
          Condition: {
            'ForAllValues:StringEquals': { 'events:source': ['murmur.responding'] },
            Null: { 'events:source': 'false' },
          },
        },
        {
          Effect: 'Allow',
          Action: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
          Resource: [
            { 'Fn::GetAtt': [logicalId(template, 'AWS::DynamoDB::Table', 'IdempotencyTable'), 'Arn'] },
          ],
        },
        { Sid: 'ReadPhotos', Effect: 'Allow', Action: 's3:GetObject', Resource: objects('media/') },
        {
          Sid: 'WriteAnnotatedCopies',
          Effect: 'Allow',
          Action: 's3:PutObject',
          Resource: objects('annotated/'),
        },
        {
          Sid: 'AskTheChatbot',
          Effect: 'Allow',
          Action: 'lex:RecognizeText',
          Resource: { 'Fn::GetAtt': [logicalId(template, 'AWS::Lex::BotAlias', 'ChatbotAlias'), 'Arn'] },
        },
        {
          Effect: 'Allow',
          Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
          Resource: { 'Fn::GetAtt': [queue, 'Arn'] },
        },
      ]);
    });
  });

  describe('the fulfilment function', () => {
    it('runs on Node 22, arm64, briefly, and may only write its own log', () => {
      expect(resource(template, 'AWS::Lambda::Function', 'Fulfilment').Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Timeout: 10,
        MemorySize: 256,
      });
      expect(statementsOf(template, 'FulfilmentRole')).toEqual([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [logicalId(template, 'AWS::Logs::LogGroup', 'FulfilmentLogs'), 'Arn'] },
        },
      ]);
    });
  });

  describe('the whole stack', () => {
    it('has no wildcard actions, no `*` resources and no managed or inline role policies', () => {
      for (const t of [template, tuned]) {
        for (const s of policyStatements(t)) {
          for (const action of actionsOf(s)) expect(action).not.toContain('*');
          expect(JSON.stringify(s.Resource)).not.toMatch(/"\*"/);
        }
        expectServiceRoles(t);
      }
    });

    it('tags every role murmur-service=responding, as the bus policy requires', () => {
      // Respond, fulfilment, the bot.
      expect(expectServiceRoles(template, 'responding')).toHaveLength(3);
    });

    it('keeps reply records in an encrypted, recoverable table with a TTL', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      });
    });

    it('keeps both functions’ logs for the retention asked', () => {
      template.resourceCountIs('AWS::Logs::LogGroup', 2);
      template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    });

    it('holds the declaration’s rule pattern, the same one the embedded runtime installs', () => {
      const service = respondingService({ policy: DEFAULT_REPLY_POLICY, chatbot: async () => ({}) as never });
      const local = planServices([service]).rules.map((r) => ({
        kind: 'rule' as const,
        name: r.name,
        eventPattern: r.eventPattern,
      }));
      const onAws = renderedEventPatterns(template.toJSON());
      expect(onAws).toEqual(local);
      expect(onAws).toEqual(declaredEventPatterns([service]));
      expect(onAws).toEqual([
        {
          kind: 'rule',
          name: RESPONDING_RULE_NAME,
          eventPattern: { source: ['murmur.analysis'], 'detail-type': ['MESSAGE_ANALYSED'] },
        },
      ]);
    });

    it('finds the bus and the media bucket by their SSM parameters, with no cross-stack import', () => {
      const parameters = template.toJSON().Parameters as Record<string, { Type: string; Default: string }>;
      expect(Object.values(parameters)).toEqual(
        expect.arrayContaining([
          { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/murmur/bus/name' },
          { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/murmur/media/bucket' },
        ]),
      );
      expect(JSON.stringify(template.toJSON())).not.toContain('Fn::ImportValue');
    });

    it('bundles the two real entries as Node 22 arm64 functions with the same wiring', () => {
      const fns = Object.values(bundled.findResources('AWS::Lambda::Function')) as Resource[];
      expect(fns).toHaveLength(2);
      for (const fn of fns) {
        expect(fn.Properties).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
        });
      }
      bundled.hasResourceProperties('AWS::Lambda::Function', {
        Layers: [{ Ref: logicalId(bundled, 'AWS::Lambda::LayerVersion', 'ImageLayer') }],
        Environment: { Variables: Match.objectLike({ FONTCONFIG_FILE: '/opt/fonts/fonts.conf' }) },
      });
    });
  });

  describe('cdk-nag AwsSolutions', () => {
    it(
      'is clean, each acknowledged finding with a reason',
      () => {
        const app = newApp();
        const checked = new RespondingStack(app, 'RespondingNag', {
          env: ENV,
          respondCode: CODE,
          fulfilmentCode: CODE,
        });

        const report = synthWithNag(app);

        expectNoFindings(report, checked);
        // The rules, their findings aside (IAM5's name the media bucket's prefixes); every reason checked.
        const rules = new Set(acknowledgedIn(checked).map((id) => id.replace(/\[.*$/, '')));
        expect([...rules].sort()).toEqual(['AwsSolutions-IAM5', 'AwsSolutions-L1', 'AwsSolutions-SQS3']);
      },
      SYNTH_BUDGET_MS,
    );
  });
});
