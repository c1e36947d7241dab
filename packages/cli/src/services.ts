// The composition root: which services this runtime runs. Services never import each other;
// only the CLI puts them together.
import { plumbingService } from '@murmur/plumbing';
import type { ServiceDeclaration } from '@murmur/ports';

export function localServices(): ServiceDeclaration[] {
  return [plumbingService()];
}
