// The target of every condition rule: MESSAGE_ANALYSED in, one ALERT_RAISED out, once. The rule
// already decided that the condition holds; the handler learns which condition from the rule that
// delivered (`ctx.ruleName`) and explains it.
import { type EventEnvelope, MessageAnalysedDetailSchema, SOURCES } from '@murmur/events';
import {
  type Handler,
  type HandlerContext,
  type IdempotencyOptions,
  NonRetryableError,
  RetryLaterError,
} from '@murmur/ports';
import { buildAlert } from './alert.js';
import type { AlertCondition } from './conditions.js';

/**
 * An alert is raised once per condition and message for a month (replays included). A claim
 * left by a delivery that died is taken over after `inProgressSeconds`.
 */
export const ALERT_ONCE: IdempotencyOptions = { ttlSeconds: 30 * 86_400, inProgressSeconds: 60 };

export function raiseAlertHandler(conditions: readonly AlertCondition[]): Handler {
  const byRule = new Map(conditions.map((c) => [c.ruleName, c]));
  return async (input: unknown, ctx: HandlerContext): Promise<void> => {
    const condition = byRule.get(ctx.ruleName);
    if (!condition) {
      throw new NonRetryableError(
        `no alert condition is declared for rule ${ctx.ruleName}; known: ${[...byRule.keys()].join(', ')}`,
      );
    }
    const parsed = MessageAnalysedDetailSchema.safeParse((input as EventEnvelope | undefined)?.detail);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new NonRetryableError(
        `not a MESSAGE_ANALYSED detail (${issue?.path.join('.') || 'detail'}: ${issue?.message})`,
      );
    }
    const alert = buildAlert(condition, parsed.data);
    const log = ctx.log.child({ alertId: alert.alertId });
    const key = `alert:${alert.alertId}`;
    const [status] = await ctx.idempotency.begin([key], ALERT_ONCE);
    if (status === 'completed') {
      log.debug('alert already raised');
      return;
    }
    if (status === 'in-progress') {
      // Another delivery of the same event is raising it, or died doing so: look again after
      // its claim runs out, rather than drop an alert that may never have been published.
      throw new RetryLaterError(
        `alert ${alert.alertId} is being raised by another delivery`,
        ALERT_ONCE.inProgressSeconds * 1000,
      );
    }
    try {
      await ctx.bus.publish({ source: SOURCES.alerting, detailType: 'ALERT_RAISED', detail: alert });
    } catch (error) {
      await ctx.idempotency.release([key]);
      throw error;
    }
    try {
      await ctx.idempotency.complete([key], ALERT_ONCE);
    } catch (error) {
      // Published: throwing now would publish it again. The claim runs out; a later duplicate
      // delivery (rare) could raise it twice, which beats retrying into a certain duplicate.
      log.warn('alert raised, but its idempotency record could not be completed', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
    log.info('alert raised', { condition: alert.rule, severity: alert.severity });
  };
}
