// The plumbing stack owns the bus: the EventBus itself, who may publish on it, the archive,
// the catch-all event log with counts per detail-type, and the schema registry.
import {
  busPublishPolicy,
  EventSchemaRegistry,
  publishBusParameters,
  type RenderedService,
  renderService,
  tagAsMurmurService,
} from '@murmur/cdk-constructs';
import { type CatalogEntry, catalog, envelopeJsonSchemaFor } from '@murmur/events';
import type { ServiceDeclaration } from '@murmur/ports';
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import { PLUMBING_DEFAULTS, plumbingService } from '../src/declaration.js';

/** Name of the EventBridge schema registry that holds the catalog. */
export const SCHEMA_REGISTRY_NAME = 'murmur';

export interface PlumbingStackProps extends StackProps {
  /** Days the archive keeps events; 0 = forever. @default PLUMBING_DEFAULTS.archiveRetentionDays */
  archiveRetentionDays?: number;
  /** Days the catch-all log keeps events (a CloudWatch retention value). @default PLUMBING_DEFAULTS.eventLogRetentionDays */
  eventLogRetentionDays?: number;
}

export class PlumbingStack extends Stack {
  readonly bus: events.EventBus;
  readonly declaration: ServiceDeclaration;
  readonly rendered: RenderedService;
  readonly schemaRegistry: EventSchemaRegistry<CatalogEntry>;

  constructor(scope: Construct, id: string, props: PlumbingStackProps = {}) {
    super(scope, id, props);
    this.declaration = plumbingService({
      ...(props.archiveRetentionDays !== undefined
        ? { archiveRetentionDays: props.archiveRetentionDays }
        : {}),
      ...(props.eventLogRetentionDays !== undefined
        ? { eventLogRetentionDays: props.eventLogRetentionDays }
        : {}),
    });

    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: PLUMBING_DEFAULTS.busName,
      description: 'Murmur: every service publishes and subscribes here, and only here.',
    });
    // The policy sits on the bus resource itself (one atomic document, no PutPermission races),
    // so its ARN is built from the name: a GetAtt on itself would be a circular reference.
    const busArn = this.formatArn({
      service: 'events',
      resource: 'event-bus',
      resourceName: PLUMBING_DEFAULTS.busName,
    });
    (this.bus.node.defaultChild as events.CfnEventBus).policy = busPublishPolicy({
      busArn,
      account: this.account,
    }).toJSON();

    publishBusParameters(this, this.bus);
    this.rendered = renderService(this, this.bus, this.declaration);
    this.schemaRegistry = new EventSchemaRegistry(this, 'Schemas', {
      registryName: SCHEMA_REGISTRY_NAME,
      description: 'Murmur event catalog (@murmur/events): one schema per source and detail-type.',
      entries: catalog,
      schemaFor: envelopeJsonSchemaFor,
    });
    tagAsMurmurService(this, 'plumbing');
  }
}
