import { describe, expect, it } from '@jest/globals';
import {
  CALL_PRESETS,
  CallPlanError,
  formatCallPlan,
  OPTIONAL_CALL_ACTIONS,
  OPTIONAL_CALLS,
  parseCallPlan,
} from '../src/index.js';

const on = (spec: string | undefined) => formatCallPlan(parseCallPlan(spec));

describe('parseCallPlan', () => {
  it('reads the presets', () => {
    expect(on('lean')).toBe('text,celebrities');
    expect(on('standard')).toBe('entities,text,celebrities');
    expect(on('full')).toBe(OPTIONAL_CALLS.join(','));
  });

  it('takes the default plan (standard) when unset or empty', () => {
    expect(on(undefined)).toBe(on('standard'));
    expect(on('')).toBe(on('standard'));
    expect(on(' , ')).toBe(on('standard'));
  });

  it('adds presets and calls up, and takes away -name, whatever the order', () => {
    expect(on('lean,moderation')).toBe('text,celebrities,moderation');
    expect(on('full,-faces,-toxicity')).toBe('entities,keyPhrases,text,celebrities,moderation');
    expect(on('-faces,full')).toBe(on('full,-faces'));
    expect(on(' entities , keyPhrases ')).toBe('entities,keyPhrases');
  });

  it.each([['sentiment'], ['Full'], ['-lean'], ['faces;moderation']])(
    'refuses %s, listing what it takes',
    (spec) => {
      expect(() => parseCallPlan(spec)).toThrow(CallPlanError);
      expect(() => parseCallPlan(spec)).toThrow(/use the presets lean, standard, full or the calls entities/);
    },
  );

  it('reads back what it formats', () => {
    for (const preset of Object.keys(CALL_PRESETS)) {
      const plan = parseCallPlan(preset);
      expect(parseCallPlan(formatCallPlan(plan) || '-entities')).toEqual(plan);
    }
  });

  it('names an AWS action for every optional call, each a different one', () => {
    const actions = OPTIONAL_CALLS.map((c) => OPTIONAL_CALL_ACTIONS[c]);
    expect(new Set(actions).size).toBe(OPTIONAL_CALLS.length);
    for (const action of actions) expect(action).toMatch(/^(comprehend|rekognition):[A-Z]\w+$/);
  });
});
