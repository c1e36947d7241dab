import type { ServiceDeclaration } from '@murmur/ports';
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { placeholderPattern, setRawEventPattern } from './event-patterns.js';

/**
 * One `events.Archive` per declared archive. The pattern is the declaration's, untouched:
 * EventBridge's managed archive rule already adds `{"replay-name":[{"exists":false}]}`.
 */
export function renderArchives(
  scope: Construct,
  bus: events.IEventBus,
  declaration: ServiceDeclaration,
): Map<string, events.Archive> {
  const rendered = new Map<string, events.Archive>();
  if (declaration.archives.length === 0) return rendered;
  const group = new Construct(scope, 'Archives');
  for (const a of declaration.archives) {
    if (!Number.isInteger(a.retentionDays) || a.retentionDays < 0) {
      throw new Error(`archive ${a.archiveName}: retentionDays must be a whole number >= 0`);
    }
    const archive = new events.Archive(group, a.archiveName, {
      archiveName: a.archiveName,
      description: a.description,
      sourceEventBus: bus,
      eventPattern: placeholderPattern(a.eventPattern),
      // 0 = keep forever, both here and in EventBridge (absent retention renders 0).
      ...(a.retentionDays > 0 ? { retention: Duration.days(a.retentionDays) } : {}),
    });
    setRawEventPattern(archive.node.defaultChild as events.CfnArchive, a.eventPattern);
    rendered.set(a.archiveName, archive);
  }
  return rendered;
}
