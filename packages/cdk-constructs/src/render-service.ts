import type { ServiceDeclaration } from '@murmur/ports';
import type * as events from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import { renderArchives } from './archives.js';
import {
  type RenderedSubscriptions,
  type RenderSubscriptionsOptions,
  renderSubscriptions,
} from './subscriptions.js';

export interface RenderedService extends RenderedSubscriptions {
  archives: Map<string, events.Archive>;
}

/** Everything a declaration asks of the bus: its archives and its subscriptions. */
export function renderService(
  scope: Construct,
  bus: events.IEventBus,
  declaration: ServiceDeclaration,
  options: RenderSubscriptionsOptions = {},
): RenderedService {
  const archives = renderArchives(scope, bus, declaration);
  return { archives, ...renderSubscriptions(scope, bus, declaration, options) };
}
