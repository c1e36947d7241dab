import { compilePattern } from '@murmur/event-pattern';
import { z } from 'zod';
import { validateInputTransformer } from './input-transformer.js';

// EventBridge's own limits for names and retry policies.
const NAME = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[.\-_A-Za-z0-9]+$/, 'must match [.\\-_A-Za-z0-9]+ (EventBridge naming)');

export const RetryPolicySchema = z.object({
  maximumRetryAttempts: z.number().int().min(0).max(185),
  maximumEventAgeInSeconds: z.number().int().min(60).max(86_400),
});

const InputTransformerSchema = z.object({
  inputPathsMap: z.record(z.string(), z.string()).optional(),
  inputTemplate: z.string(),
});

const TargetBase = {
  id: z.string().min(1).max(64),
  retryPolicy: RetryPolicySchema,
  inputTransformer: InputTransformerSchema.optional(),
};

export const BusTargetSchema = z.discriminatedUnion('type', [
  /** An in-process function, delivered by the runtime that registered it under `id`. */
  z.object({ ...TargetBase, type: z.literal('function') }),
  /** EventBridge API destination: POST the (transformed) event as JSON. */
  z.object({ ...TargetBase, type: z.literal('http'), url: z.url({ protocol: /^https?$/ }) }),
]);

export const RuleDefinitionSchema = z.object({
  name: NAME,
  description: z.string().max(512).default(''),
  eventPattern: z.record(z.string(), z.unknown()),
  targets: z.array(BusTargetSchema).min(1).max(5),
  /** Who declared it: a service name, or `cli` for rules added by hand. */
  owner: z.string().min(1),
  state: z.enum(['ENABLED', 'DISABLED']).default('ENABLED'),
});

export type BusTarget = z.infer<typeof BusTargetSchema>;
export type RuleDefinition = z.infer<typeof RuleDefinitionSchema>;
export type RuleInput = z.input<typeof RuleDefinitionSchema>;

export const ArchiveDefinitionSchema = z.object({
  name: NAME.max(48),
  description: z.string().max(512).default(''),
  eventPattern: z.record(z.string(), z.unknown()),
  /** 0 keeps events forever, as EventBridge. */
  retentionDays: z.number().int().min(0),
});
export type ArchiveDefinition = z.infer<typeof ArchiveDefinitionSchema>;
export type ArchiveInput = z.input<typeof ArchiveDefinitionSchema>;

/** Parses and checks everything EventBridge checks at PutRule/PutTargets; throws with the reason. */
export function parseRule(input: RuleInput): RuleDefinition {
  const rule = RuleDefinitionSchema.parse(input);
  compilePattern(rule.eventPattern);
  const ids = new Set<string>();
  for (const target of rule.targets) {
    if (ids.has(target.id)) throw new Error(`rule ${rule.name}: duplicate target id "${target.id}"`);
    ids.add(target.id);
    if (target.inputTransformer) validateInputTransformer(target.inputTransformer);
  }
  return rule;
}

export function parseArchive(input: ArchiveInput): ArchiveDefinition {
  const archive = ArchiveDefinitionSchema.parse(input);
  compilePattern(archive.eventPattern);
  return archive;
}
