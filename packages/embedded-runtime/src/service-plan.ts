import type { ArchiveInput, BusTarget, EmbeddedBus, RuleInput } from '@murmur/embedded-bus';
import {
  DEFAULT_RETRY_POLICY,
  type LogTarget,
  type ServiceDeclaration,
  type StateMachineDeclaration,
} from '@murmur/ports';

/** An in-process target the runtime must provide for the rules of a plan. */
export type PlannedFunction =
  | { id: string; kind: 'handler'; service: ServiceDeclaration; handler: string }
  | { id: string; kind: 'log'; target: LogTarget }
  | { id: string; kind: 'stateMachine'; service: ServiceDeclaration; stateMachine: StateMachineDeclaration };

export interface ServicePlan {
  archives: ArchiveInput[];
  rules: RuleInput[];
  functions: PlannedFunction[];
  services: readonly ServiceDeclaration[];
}

/** What the declarations mean on the embedded bus; the CDK renders the same declarations. */
export function planServices(services: readonly ServiceDeclaration[]): ServicePlan {
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
      const targets: BusTarget[] = sub.targets.map((target) => {
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

/**
 * Puts the plan's archives and rules on the bus, and removes rules its services no longer
 * declare (their pending deliveries end in the DLQ, never lost). Rules added by hand stay.
 * Returns the names of removed rules.
 */
export function installPlan(bus: EmbeddedBus, plan: ServicePlan): string[] {
  for (const archive of plan.archives) bus.ensureArchive(archive);
  const declared = new Set(plan.rules.map((r) => r.name));
  const current = new Map(bus.listRules().map((r) => [r.name, r]));
  for (const rule of plan.rules) {
    const existing = current.get(rule.name);
    if (
      !existing ||
      JSON.stringify([existing.eventPattern, existing.targets, existing.description, existing.owner]) !==
        JSON.stringify([rule.eventPattern, rule.targets, rule.description, rule.owner])
    ) {
      bus.putRule(rule);
    }
  }
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
