// The EventBridge schema registry holds the catalog's JSON Schemas, so AWS tooling (code
// bindings, the console) sees the same contract the embedded bus validates against.
import * as eventschemas from 'aws-cdk-lib/aws-eventschemas';
import { Construct } from 'constructs';

/** The slice of a catalog entry the registry needs (structurally `@murmur/events`' CatalogEntry). */
export interface SchemaEntry {
  source: string;
  detailType: string;
  schemaVersion?: string | number;
  description?: string;
}

export interface EventSchemaRegistryProps<E extends SchemaEntry> {
  registryName: string;
  description?: string;
  entries: readonly E[];
  /** The JSON Schema (draft-4 compatible) to register for an entry. */
  schemaFor: (entry: E) => object;
}

/** EventBridge's own naming for discovered schemas: `<source>@<DetailType>`. */
export function schemaNameFor(entry: SchemaEntry): string {
  return `${entry.source}@${entry.detailType}`;
}

export class EventSchemaRegistry<E extends SchemaEntry> extends Construct {
  readonly registry: eventschemas.CfnRegistry;
  readonly schemas = new Map<string, eventschemas.CfnSchema>();

  constructor(scope: Construct, id: string, props: EventSchemaRegistryProps<E>) {
    super(scope, id);
    this.registry = new eventschemas.CfnRegistry(this, 'Registry', {
      registryName: props.registryName,
      ...(props.description ? { description: props.description } : {}),
    });
    for (const entry of props.entries) {
      const name = schemaNameFor(entry);
      if (this.schemas.has(name)) throw new Error(`schema registry: ${name} appears twice in the catalog`);
      const version = entry.schemaVersion === undefined ? '' : ` [schema v${entry.schemaVersion}]`;
      const schema = new eventschemas.CfnSchema(this, name, {
        // The attribute (not the literal) so CloudFormation creates the registry first.
        registryName: this.registry.attrRegistryName,
        schemaName: name,
        type: 'JSONSchemaDraft4',
        content: JSON.stringify(props.schemaFor(entry)),
        // EventBridge caps schema descriptions at 256 characters; the version suffix survives.
        description: `${(entry.description ?? name).slice(0, 256 - version.length)}${version}`,
      });
      this.schemas.set(name, schema);
    }
  }
}
