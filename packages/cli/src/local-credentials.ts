import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type IngressConfig, parseIngressConfig } from '@murmur/ingress';
import { z } from 'zod';
import { CliError } from './io.js';

/** The account that `murmur simulate` and the emulator's payloads speak for when no X account is set. */
export const DEMO_ACCOUNT_ID = '1500000000000000001';

const DevCredentialsSchema = z.object({ X_CONSUMER_SECRET: z.string(), X_ACCOUNT_ID: z.string() });

export interface ResolvedIngressConfig {
  config: IngressConfig;
  /** Where it came from, for the start banner (never the secret itself). */
  origin: 'environment' | 'development';
}

/**
 * X credentials from the environment; with none set, a development secret generated once in
 * MURMUR_HOME, so `murmur start` and `murmur simulate` work with no X account. Half a
 * configuration (one variable of the pair) is an error, not a silent fallback.
 */
export function resolveIngressConfig(env: NodeJS.ProcessEnv, homeRoot: string): ResolvedIngressConfig {
  const given = ['X_CONSUMER_SECRET', 'X_ACCOUNT_ID'].filter(
    (name) => env[name] !== undefined && env[name] !== '',
  );
  if (given.length > 0) {
    if (given.length === 1) {
      const missing = given[0] === 'X_CONSUMER_SECRET' ? 'X_ACCOUNT_ID' : 'X_CONSUMER_SECRET';
      throw new CliError(
        `${given[0]} is set but ${missing} is not: set both, or neither for local development`,
      );
    }
    return { config: wrap(() => parseIngressConfig(env)), origin: 'environment' };
  }
  const file = devCredentialsPath(homeRoot);
  if (!existsSync(file)) {
    mkdirSync(homeRoot, { recursive: true });
    const fresh = { X_CONSUMER_SECRET: randomBytes(32).toString('base64url'), X_ACCOUNT_ID: DEMO_ACCOUNT_ID };
    writeFileSync(file, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600 });
  }
  const stored = DevCredentialsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!stored.success) throw new CliError(`${file} is not valid; delete it to generate a new one`);
  return { config: wrap(() => parseIngressConfig(stored.data)), origin: 'development' };
}

export function devCredentialsPath(homeRoot: string): string {
  return join(homeRoot, 'dev-credentials.json');
}

function wrap(parse: () => IngressConfig): IngressConfig {
  try {
    return parse();
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}
