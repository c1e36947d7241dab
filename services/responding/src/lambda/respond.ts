// Lambda entry of the respond handler: the rule `responding-message-analysed` invokes it
// asynchronously with MESSAGE_ANALYSED. The handler is the declaration's own, the one
// `murmur start` runs, given the AWS ports (EventBridge, DynamoDB, the media bucket, Powertools)
// and the Lex V2 chat bot. A failure fails the invocation: Lambda's asynchronous retries, then the
// on-failure destination the stack sets, take over.
import {
  DynamoDbIdempotencyStore,
  EventBridgeBus,
  eventHandlerLambda,
  type HandlerPorts,
  powertoolsLogger,
  S3BlobStore,
} from '@murmur/aws-adapters';
import type { Handler, Logger } from '@murmur/ports';
import { LexChatbot } from '../chatbot/lex-chatbot.js';
import { RESPONDING_RULE_NAME, respondingService } from '../declaration.js';
import type { ChatbotPort } from '../respond.js';
import { type RespondingLambdaConfig, respondingConfigFromEnv } from './config.js';

export { RESPONDING_ENV } from './env.js';

type Env = Record<string, string | undefined>;

export interface RespondLambdaOptions {
  env?: Env;
  /** @default EventBridge, DynamoDB, S3 and Powertools, from the configuration */
  ports?: (config: RespondingLambdaConfig) => HandlerPorts;
  /** @default Lex V2 RecognizeText on the configured bot alias */
  chatbot?: (config: RespondingLambdaConfig) => ChatbotPort;
  /** Where a configuration error is reported (no ports exist then). @default Powertools */
  log?: () => Logger;
}

export function awsRespondPorts(config: RespondingLambdaConfig): HandlerPorts {
  return {
    bus: new EventBridgeBus(config.busName),
    idempotency: new DynamoDbIdempotencyStore(config.idempotencyTable),
    blobs: new S3BlobStore(config.mediaBucket),
    log: powertoolsLogger('responding'),
  };
}

const lexChatbot = (config: RespondingLambdaConfig): ChatbotPort => new LexChatbot(config.lex);

/**
 * The handler. Configuration is read on the first invocation, and again on the next one if it
 * failed: a bad variable fails every invocation with `RespondingConfigError` naming it, so the
 * events wait in the dead-letter queue for a redrive once the stack is fixed.
 */
export function createRespondLambda(options: RespondLambdaOptions = {}) {
  const env = options.env ?? process.env;
  let config: RespondingLambdaConfig | undefined;
  let respond: Handler | undefined;

  const configured = (): RespondingLambdaConfig => {
    try {
      config ??= respondingConfigFromEnv(env);
      return config;
    } catch (error) {
      (options.log ?? (() => powertoolsLogger('responding')))().error('responding is not configured', {
        error: (error as Error).name,
        problem: (error as Error).message,
      });
      throw error;
    }
  };

  const handler: Handler = (input, ctx) => {
    if (!respond) {
      const c = configured();
      const chatbot = (options.chatbot ?? lexChatbot)(c);
      const service = respondingService({ policy: c.policy, chatbot: async () => chatbot });
      respond = service.handlers.respond!;
    }
    return respond(input, ctx);
  };

  return eventHandlerLambda(handler, {
    ruleName: RESPONDING_RULE_NAME,
    ports: () => (options.ports ?? awsRespondPorts)(configured()),
  });
}

export const handler = createRespondLambda();
