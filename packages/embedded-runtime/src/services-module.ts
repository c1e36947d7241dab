import type { ServiceDeclaration } from '@murmur/ports';

/**
 * How a worker thread builds the same services as the main thread: a module to import, the
 * factory it exports, and plain data for the factory (functions do not cross threads).
 */
export interface ServicesModuleRef {
  /** File URL of the module. */
  module: string;
  exportName: string;
  /** Structured-cloneable configuration for the factory. */
  config: unknown;
}

export async function loadServices(ref: ServicesModuleRef): Promise<ServiceDeclaration[]> {
  const module = (await import(ref.module)) as Record<string, unknown>;
  const factory = module[ref.exportName];
  if (typeof factory !== 'function') throw new Error(`${ref.module} exports no function ${ref.exportName}`);
  return (factory as (config: unknown) => ServiceDeclaration[])(ref.config);
}
