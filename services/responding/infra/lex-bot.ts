// The chat bot definition rendered as a Lex V2 bot: one locale with the definition's intents,
// sample utterances, slot types and fallback, every intent fulfilled by the fulfilment Lambda (the
// same `fulfil` the local bot uses); a version of that locale and an alias that points its code
// hook at the Lambda, which only that alias may invoke. The bot's role grants nothing: a
// text-only bot without sentiment analysis or conversation logs calls no other service.
import { createHash } from 'node:crypto';
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lex from 'aws-cdk-lib/aws-lex';
import { Construct } from 'constructs';

import { type ChatbotDefinition, FALLBACK_INTENT, type SlotDefinition } from '../src/chatbot/definition.js';

/** Lex's names for bots, intents, slots and slot types. */
const LEX_NAME = /^([0-9a-zA-Z][_-]?){1,100}$/;
/** Lex's limit on a sample utterance. */
const MAX_UTTERANCE_LENGTH = 200;

/** The slot type behind a slot of the definition, e.g. `topic` -> `TopicValues`. */
export function slotTypeName(slot: SlotDefinition): string {
  return `${slot.name.charAt(0).toUpperCase()}${slot.name.slice(1)}Values`;
}

function checkName(kind: string, name: string): string {
  if (!LEX_NAME.test(name)) {
    throw new Error(
      `chat bot: ${kind} "${name}" is not a Lex name (letters and digits, single - or _ between them, at most 100)`,
    );
  }
  return name;
}

/**
 * The definition as one Lex V2 bot locale. Pure data, no tokens: the Lambda is attached by the
 * alias, so this (and its hash) changes only when the definition does. Throws on what Lex would
 * refuse at deploy: bad names, an utterance naming an undeclared slot, a duplicate utterance.
 */
export function lexBotLocale(definition: ChatbotDefinition): lex.CfnBot.BotLocaleProperty {
  const slotTypes = new Map<string, SlotDefinition>();
  const utterances = new Map<string, string>();
  const intents: lex.CfnBot.IntentProperty[] = definition.intents.map((intent) => {
    checkName('intent', intent.name);
    if (intent.name === FALLBACK_INTENT) {
      throw new Error(`chat bot: ${FALLBACK_INTENT} is Lex's own; declare fallback responses in fallback`);
    }
    if (intent.utterances.length === 0) {
      throw new Error(`chat bot: intent ${intent.name} has no sample utterance; Lex cannot build it`);
    }
    const slots = intent.slots ?? [];
    for (const slot of slots) {
      checkName('slot', slot.name);
      const typeName = checkName('slot type', slotTypeName(slot));
      const known = slotTypes.get(typeName);
      if (known && JSON.stringify(known.values) !== JSON.stringify(slot.values)) {
        throw new Error(`chat bot: slot ${slot.name} is declared twice with different values`);
      }
      slotTypes.set(typeName, slot);
    }
    for (const utterance of intent.utterances) {
      if (utterance.length > MAX_UTTERANCE_LENGTH) {
        throw new Error(
          `chat bot: intent ${intent.name}: "${utterance.slice(0, 40)}…" is over 200 characters`,
        );
      }
      for (const [, name] of utterance.matchAll(/\{([^}]*)\}/g)) {
        if (!slots.some((s) => s.name === name)) {
          throw new Error(`chat bot: intent ${intent.name}: "${utterance}" names undeclared slot {${name}}`);
        }
      }
      const key = utterance.trim().toLowerCase();
      const owner = utterances.get(key);
      if (owner)
        throw new Error(`chat bot: "${utterance}" is an utterance of both ${owner} and ${intent.name}`);
      utterances.set(key, intent.name);
    }
    return {
      name: intent.name,
      description: intent.description,
      sampleUtterances: intent.utterances.map((utterance) => ({ utterance })),
      ...(slots.length > 0
        ? {
            slots: slots.map((slot) => ({
              name: slot.name,
              slotTypeName: slotTypeName(slot),
              // Optional: Lex fills it from the utterance and never asks for it.
              valueElicitationSetting: {
                slotConstraint: 'Optional',
                promptSpecification: {
                  maxRetries: 1,
                  messageGroupsList: [
                    {
                      message: {
                        plainTextMessage: {
                          value: `Which ${slot.name}? For example ${Object.keys(slot.values).join(', ')}.`,
                        },
                      },
                    },
                  ],
                },
              },
            })),
            slotPriorities: slots.map((slot, index) => ({ priority: index + 1, slotName: slot.name })),
          }
        : {}),
      // No slot to validate turn by turn; every answer comes from the fulfilment hook.
      dialogCodeHook: { enabled: false },
      fulfillmentCodeHook: { enabled: true },
    };
  });
  intents.push({
    name: FALLBACK_INTENT,
    description:
      'Below the confidence threshold: the definition’s fallback responses, from the fulfilment hook.',
    parentIntentSignature: 'AMAZON.FallbackIntent',
    fulfillmentCodeHook: { enabled: true },
  });
  return {
    localeId: definition.locale,
    description: definition.description,
    nluConfidenceThreshold: definition.confidenceThreshold,
    slotTypes: [...slotTypes].map(([name, slot]) => ({
      name,
      description: `Values of the ${slot.name} slot.`,
      // The canonical value (space for "planets") is what fulfilment matches topics on.
      valueSelectionSetting: { resolutionStrategy: 'TOP_RESOLUTION' },
      slotTypeValues: Object.entries(slot.values).map(([value, synonyms]) => ({
        sampleValue: { value },
        synonyms: synonyms.filter((s) => s !== value).map((s) => ({ value: s })),
      })),
    })),
    intents,
  };
}

export interface ChatbotLexBotProps {
  definition: ChatbotDefinition;
  /** Answers every intent (Lex V2 code hook, interface version 1.0). */
  fulfilment: lambda.IFunction;
  /** @default `<stack name>-<definition name>` (bot names are unique per account and region) */
  botName?: string;
  /** @default 'live' */
  aliasName?: string;
  /** Seconds a conversation is kept; every message is answered in one turn. @default 300 */
  idleSessionTtlInSeconds?: number;
}

export class ChatbotLexBot extends Construct {
  readonly role: iam.Role;
  readonly bot: lex.CfnBot;
  readonly version: lex.CfnBotVersion;
  readonly alias: lex.CfnBotAlias;
  /** The alias ARN: what RecognizeText is granted on and the only caller of the fulfilment Lambda. */
  readonly aliasArn: string;
  readonly botId: string;
  readonly aliasId: string;
  readonly localeId: string;

  constructor(scope: Construct, id: string, props: ChatbotLexBotProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const locale = lexBotLocale(props.definition);
    const botName = checkName('bot', props.botName ?? `${stack.stackName}-${props.definition.name}`);
    this.localeId = props.definition.locale;

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lexv2.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            // The bot's id is not known before it exists; any bot of this account and region.
            'aws:SourceArn': stack.formatArn({
              service: 'lex',
              resource: 'bot',
              resourceName: '*',
              arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
            }),
          },
        },
      }),
      description:
        'Murmur responding Lex V2 bot: text only, no sentiment analysis, no conversation logs, so no permissions.',
    });

    this.bot = new lex.CfnBot(this, 'Bot', {
      name: botName,
      description: props.definition.description,
      roleArn: this.role.roleArn,
      // Not directed at children under 13 (COPPA): X's own users must be 13 or older.
      dataPrivacy: { ChildDirected: false },
      idleSessionTtlInSeconds: props.idleSessionTtlInSeconds ?? 300,
      botLocales: [locale],
      // Builds the locale on every deploy, so the version below is taken from a built draft.
      autoBuildBotLocales: true,
    });

    // A version is immutable and CloudFormation only makes one when the resource is new: a new
    // logical id for every change of the locale makes the new version, and the alias moves to it.
    const hash = createHash('sha256').update(JSON.stringify(locale)).digest('hex').slice(0, 12);
    this.version = new lex.CfnBotVersion(this, `Version${hash}`, {
      botId: this.bot.attrId,
      description: `${props.definition.name} ${hash}`,
      botVersionLocaleSpecification: [
        { localeId: this.localeId, botVersionLocaleDetails: { sourceBotVersion: 'DRAFT' } },
      ],
    });

    this.alias = new lex.CfnBotAlias(this, 'Alias', {
      botId: this.bot.attrId,
      botAliasName: checkName('bot alias', props.aliasName ?? 'live'),
      botVersion: this.version.attrBotVersion,
      description: `Murmur responding: the ${props.definition.name} version in use`,
      sentimentAnalysisSettings: { DetectSentiment: false },
      botAliasLocaleSettings: [
        {
          localeId: this.localeId,
          botAliasLocaleSetting: {
            enabled: true,
            codeHookSpecification: {
              lambdaCodeHook: { codeHookInterfaceVersion: '1.0', lambdaArn: props.fulfilment.functionArn },
            },
          },
        },
      ],
    });
    this.aliasArn = this.alias.attrArn;
    this.botId = this.bot.attrId;
    this.aliasId = this.alias.attrBotAliasId;

    // Only this alias may invoke the fulfilment function (not the draft's test alias, not other bots).
    props.fulfilment.addPermission('InvokeFromLexAlias', {
      principal: new iam.ServicePrincipal('lexv2.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceArn: this.aliasArn,
      sourceAccount: stack.account,
    });
  }
}
