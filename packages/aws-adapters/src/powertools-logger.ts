import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Logger } from '@murmur/ports';

/** The Logger port on Lambda: Powertools' structured JSON logger. */
export function powertoolsLogger(
  serviceName: string,
  logger = new PowertoolsLogger({ serviceName }),
): Logger {
  return {
    debug: (message, fields) => logger.debug(message, fields ?? {}),
    info: (message, fields) => logger.info(message, fields ?? {}),
    warn: (message, fields) => logger.warn(message, fields ?? {}),
    error: (message, fields) => logger.error(message, fields ?? {}),
    child: (fields) => powertoolsLogger(serviceName, logger.createChild({ persistentKeys: fields as never })),
  };
}
