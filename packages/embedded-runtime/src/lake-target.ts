import type { DeliveryContext, TargetFunction } from '@murmur/embedded-bus';
import { NonRetryableError } from '@murmur/embedded-bus';
import { LakeWriter, PartitionError } from '@murmur/lake';
import type { DeliveryStreamTarget } from '@murmur/ports';

/**
 * The local stand-in for a Firehose delivery stream target: each delivered record appended to the
 * lake under `root` with the stream's partitions. A delivery completes once its line is written
 * (group-committed with the others of the same turn), so nothing acknowledged is lost in a crash.
 */
export function lakeStreamTarget(
  root: string,
  target: DeliveryStreamTarget,
): { deliver: TargetFunction; close: () => void; writer: LakeWriter } {
  const writer = new LakeWriter({
    root,
    layout: target,
    ...(target.buffering
      ? {
          rotateAfterMs: target.buffering.intervalSeconds * 1000,
          rotateBytes: target.buffering.sizeMiB * 1024 * 1024,
        }
      : {}),
  });
  const deliver: TargetFunction = async (input: unknown, ctx: DeliveryContext) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new NonRetryableError('a delivery stream record must be a JSON object');
    }
    const json = input === ctx.event ? ctx.eventJson : JSON.stringify(input);
    try {
      await writer.append(input as Record<string, unknown>, json);
    } catch (error) {
      // Firehose sends a record it cannot partition to its error prefix; locally it is a dead letter.
      if (error instanceof PartitionError) throw new NonRetryableError(error.message);
      throw error;
    }
  };
  return { deliver, close: () => writer.close(), writer };
}
