import type { ArchiveInput, BusTarget, EmbeddedBus, RuleInput } from '@murmur/embedded-bus';
import {
  DEFAULT_RETRY_POLICY,
  type DeliveryStreamTarget,
  type LogTarget,
  type ServiceDeclaration,
  type StateMachineDeclaration,
} from '@murmur/ports';
import { MAX_TARGETS_PER_RULE, type NotifiersByTopic, notifierTargets } from './notifiers.js';

/** An in-process target the runtime must provide for the rules of a plan. */
export type PlannedFunction =
  | { id: string; kind: 'handler'; service: ServiceDeclaration; handler: string }
  | { id: string; kind: 'log'; target: LogTarget }
  | { id: string; kind: 'deliveryStream'; target: DeliveryStreamTarget }
  | { id: string; kind: 'stateMachine'; service: ServiceDeclaration; stateMachine: StateMachineDeclaration }
  | { id: string; kind: 'consoleNotifier'; service: ServiceDeclaration; topic: string };

export interface PlanOptions {
  /** The notifiers of each notification topic. @default the console for every topic */
  notifiers?: NotifiersByTopic;
}

export interface ServicePlan {
  archives: ArchiveInput[];
  rules: RuleInput[];
  functions: PlannedFunction[];
  services: readonly ServiceDeclaration[];
}

/** What the declarations mean on the embedded bus; the CDK renders the same declarations. */
export function planServices(
  services: readonly ServiceDeclaration[],
  options: PlanOptions = {},
): ServicePlan {
  const plan: ServicePlan = { archives: [], rules: [], functions: [], services };
  const functionIds = new Set<string>();
  const addFunction = (fn: PlannedFunction) => {
    if (functionIds.has(fn.id)) return;
    functionIds.add(fn.id);
    plan.functions.push(fn);
  };
  for (const service of services) {
    for (const archive of service.archives) {
      plan.archives.push({
        name: archive.archiveName,
        description: archive.description,
        eventPattern: archive.eventPattern,
        retentionDays: archive.retentionDays,
      });
    }
    for (const sub of service.subscriptions) {
      const targets: BusTarget[] = sub.targets.flatMap((target): BusTarget | BusTarget[] => {
        if (target.kind === 'notification') {
          // A topic fans out: one target per notifier, each with the declared retries.
          const planned = notifierTargets(
            target,
            options.notifiers ?? {},
            target.retryPolicy ?? DEFAULT_RETRY_POLICY,
          );
          for (const p of planned) {
            if (p.function) addFunction({ ...p.function, kind: 'consoleNotifier', service });
          }
          return planned.map((p) => p.target);
        }
        if (target.kind === 'deliveryStream') {
          // The local stand-in for Firehose: the lake writer, one per stream.
          const id = `deliveryStream.${target.streamName}`;
          addFunction({ id, kind: 'deliveryStream', target });
          return { id, type: 'function', retryPolicy: target.retryPolicy ?? DEFAULT_RETRY_POLICY };
        }
        if (target.kind === 'log') {
          const id = `log.${target.logName}`;
          addFunction({ id, kind: 'log', target });
          return { id, type: 'function', retryPolicy: DEFAULT_RETRY_POLICY };
        }
        let id: string;
        if (target.kind === 'stateMachine') {
          id = `${service.name}.stateMachine.${target.stateMachine}`;
          const stateMachine = service.stateMachines!.find((m) => m.name === target.stateMachine)!;
          addFunction({ id, kind: 'stateMachine', service, stateMachine });
        } else {
          id = `${service.name}.${target.handler}`;
          addFunction({ id, kind: 'handler', service, handler: target.handler });
        }
        return {
          id,
          type: 'function',
          retryPolicy: target.retryPolicy ?? DEFAULT_RETRY_POLICY,
          ...(target.inputTransformer ? { inputTransformer: target.inputTransformer } : {}),
        };
      });
      if (targets.length > MAX_TARGETS_PER_RULE) {
        throw new Error(
          `rule ${sub.ruleName}: ${targets.length} targets once its topics' notifiers are counted; ` +
            `a rule takes at most ${MAX_TARGETS_PER_RULE} (EventBridge's limit): configure fewer webhooks`,
        );
      }
      plan.rules.push({
        name: sub.ruleName,
        description: sub.description,
        eventPattern: sub.eventPattern,
        targets,
        owner: service.name,
      });
    }
  }
  return plan;
}

export interface InstallOptions {
  /**
   * Only add what is missing; never change or remove a rule. For commands that open the bus
   * beside a running runtime: their plan may come from another environment (other alert
   * conditions, no webhooks), and must not rewrite the rules the runtime installed.
   */
  addOnly?: boolean;
}

/**
 * Puts the plan's archives and rules on the bus, and removes rules its services no longer
 * declare (their pending deliveries end in the DLQ, never lost). Rules added by hand stay.
 * Returns the names of removed rules.
 */
export function installPlan(bus: EmbeddedBus, plan: ServicePlan, options: InstallOptions = {}): string[] {
  for (const archive of plan.archives) bus.ensureArchive(archive);
  const declared = new Set(plan.rules.map((r) => r.name));
  const current = new Map(bus.listRules().map((r) => [r.name, r]));
  for (const rule of plan.rules) {
    const existing = current.get(rule.name);
    if (existing && options.addOnly) continue;
    if (
      !existing ||
      JSON.stringify([existing.eventPattern, existing.targets, existing.description, existing.owner]) !==
        JSON.stringify([rule.eventPattern, rule.targets, rule.description, rule.owner])
    ) {
      bus.putRule(rule);
    }
  }
  if (options.addOnly) return [];
  const owners = new Set(plan.services.map((s) => s.name));
  const removed: string[] = [];
  for (const rule of current.values()) {
    if (owners.has(rule.owner) && !declared.has(rule.name)) {
      bus.deleteRule(rule.name);
      removed.push(rule.name);
    }
  }
  return removed;
}
