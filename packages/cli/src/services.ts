// The composition root: which services this runtime runs. Services never import each other;
// only the CLI puts them together.
import { type IngressConfig, ingressService } from '@murmur/ingress';
import { plumbingService } from '@murmur/plumbing';
import type { ServiceDeclaration } from '@murmur/ports';
import { CliError } from './io.js';

export interface LocalServiceConfig {
  ingress: () => IngressConfig;
}

const notConfigured = (): never => {
  throw new CliError('this command does not configure ingress; use `murmur start`');
};

export function localServices(config: Partial<LocalServiceConfig> = {}): ServiceDeclaration[] {
  return [plumbingService(), ingressService(config.ingress ?? notConfigured)];
}
