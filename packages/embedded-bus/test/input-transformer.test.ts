// InputTransformer, against the examples EventBridge documents and the rules it states.
import { describe, expect, it } from '@jest/globals';
import {
  applyInputTransformer,
  type InputTransformer,
  InvalidInputTransformerError,
  MAX_INPUT_PATHS,
  PREDEFINED_VARIABLES,
  validateInputTransformer,
} from '../src/input-transformer.js';

// The example event and input paths of the EventBridge user guide ("Input transform examples").
const EC2_EVENT = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2015-11-11T21:29:54Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  detail: { 'instance-id': 'i-0123456789', state: 'RUNNING' },
};
const DOCS_PATHS = { timestamp: '$.time', instance: '$.detail.instance-id', state: '$.detail.state' };
const CTX = {
  ruleName: 'example',
  ruleArn: 'arn:aws:events:us-east-2:123456789012:rule/example',
  ingestionTime: '2015-11-11T21:29:55.123Z',
};

function transform(
  inputTemplate: string,
  inputPathsMap: Record<string, string> = DOCS_PATHS,
  event: Record<string, unknown> = EC2_EVENT,
): unknown {
  return applyInputTransformer({ inputPathsMap, inputTemplate }, event, CTX);
}

describe('the documented examples', () => {
  const examples: [string, string, unknown][] = [
    ['Simple string', '"instance <instance> is in <state>"', 'instance i-0123456789 is in RUNNING'],
    [
      'String with escaped quotes',
      '"instance \\"<instance>\\" is in <state>"',
      'instance "i-0123456789" is in RUNNING',
    ],
    [
      'Simple JSON',
      '{\n  "instance" : <instance>,\n  "state": <state>\n}',
      { instance: 'i-0123456789', state: 'RUNNING' },
    ],
    [
      'JSON with strings and variables',
      '{\n "instance" : <instance>,\n "state": "<state>",\n "instanceStatus": "instance \\"<instance>\\" is in <state>"\n}',
      { instance: 'i-0123456789', state: 'RUNNING', instanceStatus: 'instance "i-0123456789" is in RUNNING' },
    ],
    [
      'JSON with a mix of variables and static information',
      '{\n  "instance" : <instance>,\n  "state": [ 9, <state>, true ],\n  "Transformed" : "Yes"\n}',
      { instance: 'i-0123456789', state: [9, 'RUNNING', true], Transformed: 'Yes' },
    ],
    [
      'Including reserved variables in JSON',
      '{\n  "instance" : <instance>,\n  "state": <state>,\n  "ruleArn" : <aws.events.rule-arn>,\n  "ruleName" : <aws.events.rule-name>,\n  "originalEvent" : <aws.events.event.json>\n}',
      {
        instance: 'i-0123456789',
        state: 'RUNNING',
        ruleArn: CTX.ruleArn,
        ruleName: 'example',
        originalEvent: EC2_EVENT,
      },
    ],
    ['Including reserved variables in a string', '"<aws.events.rule-name> triggered"', 'example triggered'],
    [
      'Amazon CloudWatch log group',
      '{\n  "timestamp" : <timestamp>,\n  "message": "instance \\"<instance>\\" is in <state>"\n}',
      { timestamp: '2015-11-11T21:29:54Z', message: 'instance "i-0123456789" is in RUNNING' },
    ],
  ];

  it.each(examples)('%s', (_name, template, expected) => {
    // Act
    const output = transform(template);
    // Assess
    expect(output).toEqual(expected);
  });

  it('API reference: a text template gets the values as they are', () => {
    const paths = { instance: '$.detail.instance-id', status: '$.detail.state' };
    expect(transform('<instance> is in state <status>', paths)).toBe('i-0123456789 is in state RUNNING');
    expect(transform('<instance> is in state "<status>"', paths)).toBe('i-0123456789 is in state "RUNNING"');
  });

  it('API reference: a JSON template with variables in and out of quotes', () => {
    const paths = { instance: '$.detail.instance-id', status: '$.detail.state' };
    const output = transform(
      '{"myInstance": <instance>,"myStatus": "<instance> is in state \\"<status>\\""}',
      paths,
    );
    expect(output).toEqual({ myInstance: 'i-0123456789', myStatus: 'i-0123456789 is in state "RUNNING"' });
  });
});

describe('values', () => {
  it('writes objects as JSON outside quotes, and without inner quotes inside a string', () => {
    const paths = { detail: '$.detail' };
    expect(transform('{"detail": <detail>}', paths)).toEqual({ detail: EC2_EVENT.detail });
    expect(transform('"Detail is <detail>"', paths)).toBe(
      'Detail is {instance-id:i-0123456789,state:RUNNING}',
    );
  });

  it('turns a template that is only a placeholder into that value', () => {
    expect(transform('<detail>', { detail: '$.detail' })).toEqual(EC2_EVENT.detail);
    expect(transform('<n>', { n: '$.n' }, { n: 5 })).toBe(5);
  });

  it('writes a missing path as null outside quotes and as nothing inside them', () => {
    const paths = { missing: '$.detail.nope' };
    expect(transform('{"a": <missing>, "b": "[<missing>]"}', paths)).toEqual({ a: null, b: '[]' });
    expect(transform('value: <missing>.', paths)).toBe('value: .');
  });

  it('escapes strings written inside a JSON string, and quotes them outside', () => {
    // Prepare: text with quotes, a backslash and a newline, as a tweet may carry
    const event = { detail: { text: 'she said "hi"\\\nbye' } };
    const paths = { text: '$.detail.text' };
    // Act / Assess
    expect(transform('{"quoted": "<text>", "bare": <text>}', paths, event)).toEqual({
      quoted: 'she said "hi"\\\nbye',
      bare: 'she said "hi"\\\nbye',
    });
  });

  it('writes numbers, booleans and null as JSON outside quotes and as text inside', () => {
    const event = { detail: { n: 5, ok: true, none: null } };
    const paths = { n: '$.detail.n', ok: '$.detail.ok', none: '$.detail.none' };
    expect(transform('{"n": <n>, "ok": <ok>, "none": <none>, "s": "<n>/<ok>/<none>"}', paths, event)).toEqual(
      {
        n: 5,
        ok: true,
        none: null,
        s: '5/true/null',
      },
    );
  });

  it('gives the predefined variables', () => {
    const output = transform(
      '{"arn": <aws.events.rule-arn>, "name": "<aws.events.rule-name>", "at": <aws.events.event.ingestion-time>, "event": <aws.events.event>, "json": <aws.events.event.json>}',
      {},
    );
    const { detail: _detail, ...withoutDetail } = EC2_EVENT;
    expect(output).toEqual({
      arn: CTX.ruleArn,
      name: 'example',
      at: CTX.ingestionTime,
      event: withoutDetail,
      json: EC2_EVENT,
    });
  });

  it('reads array indices and wildcards', () => {
    // Prepare: a Murmur MESSAGE_RECEIVED detail with two media
    const event = {
      'detail-type': 'MESSAGE_RECEIVED',
      detail: {
        media: [
          { type: 'photo', url: 'https://x/1.jpg' },
          { type: 'video', url: 'https://x/2.jpg' },
        ],
      },
    };
    const paths = {
      first: '$.detail.media[0].url',
      types: '$.detail.media[*].type',
      third: '$.detail.media[2].url',
      all: '$.detail.*',
    };
    // Act
    const output = transform(
      '{"first": <first>, "types": <types>, "third": <third>, "all": <all>}',
      paths,
      event,
    );
    // Assess
    expect(output).toEqual({
      first: 'https://x/1.jpg',
      types: ['photo', 'video'],
      third: null,
      all: [event.detail.media],
    });
  });

  it('leaves <text> that names no variable as it is', () => {
    expect(transform('"<b>state</b>: <state>"')).toBe('<b>state</b>: RUNNING');
  });

  it('does not read inherited properties as event fields', () => {
    expect(transform('{"c": <c>}', { c: '$.constructor' })).toEqual({ c: null });
  });

  it('is the same transformer however many times it is applied', () => {
    const t: InputTransformer = { inputPathsMap: { s: '$.detail.state' }, inputTemplate: '{"s": <s>}' };
    expect(applyInputTransformer(t, EC2_EVENT, CTX)).toEqual({ s: 'RUNNING' });
    expect(applyInputTransformer(t, { detail: { state: 'STOPPED' } }, CTX)).toEqual({ s: 'STOPPED' });
  });
});

describe('validation', () => {
  function reason(t: unknown): string {
    try {
      validateInputTransformer(t as InputTransformer);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidInputTransformerError);
      return (error as Error).message;
    }
    throw new Error('transformer was accepted');
  }

  it.each([...PREDEFINED_VARIABLES])('refuses the reserved name %s as a variable', (name) => {
    expect(reason({ inputPathsMap: { [name]: '$.detail' }, inputTemplate: '<x>' })).toContain(
      `"${name}" is a reserved`,
    );
  });

  it(`refuses more than ${MAX_INPUT_PATHS} variables`, () => {
    const paths = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`v${i}`, '$.detail']));
    expect(reason({ inputPathsMap: paths, inputTemplate: '<v0>' })).toContain('101 entries; at most 100');
    delete paths.v100;
    expect(() => validateInputTransformer({ inputPathsMap: paths, inputTemplate: '<v0>' })).not.toThrow();
  });

  it.each([
    ['a space', 'my key'],
    ['a dot', 'a.b'],
    ['nothing', ''],
  ])('refuses a variable name with %s', (_what, name) => {
    expect(reason({ inputPathsMap: { [name]: '$.detail' }, inputTemplate: 'x' })).toContain(
      'must match [A-Za-z0-9_-]+',
    );
  });

  it('refuses variable names in the AWS. namespace, and accepts other names starting with aws', () => {
    expect(reason({ inputPathsMap: { 'AWS.thing': '$.detail' }, inputTemplate: 'x' })).toContain(
      'must not start with "AWS."',
    );
    expect(() =>
      validateInputTransformer({ inputPathsMap: { awsRegion: '$.region' }, inputTemplate: '<awsRegion>' }),
    ).not.toThrow();
  });

  it.each([
    ['no leading $', 'detail.text'],
    ['recursive descent', '$..text'],
    ['bracket notation', "$['detail']"],
    ['a filter', '$.detail.media[?(@.type)]'],
    ['a negative index', '$.detail.media[-1]'],
    ['a slice', '$.detail.media[0:2]'],
    ['a space', '$.detail.some text'],
    ['a trailing dot', '$.detail.'],
  ])('refuses a path with %s', (_what, path) => {
    expect(reason({ inputPathsMap: { v: path }, inputTemplate: '<v>' })).toContain(
      'is not a supported JSON path',
    );
  });

  it('refuses a path that is not a string or is too long', () => {
    expect(reason({ inputPathsMap: { v: 5 }, inputTemplate: '<v>' })).toContain('must be a JSON path string');
    expect(reason({ inputPathsMap: { v: `$.${'a'.repeat(300)}` }, inputTemplate: '<v>' })).toContain(
      'longer than 256',
    );
  });

  it.each([
    '$',
    '$.detail',
    '$.detail-type',
    '$.detail.media[0].url',
    '$.detail.media[*].type',
    '$.detail.*',
    '$.detail.a_b/c',
  ])('accepts the path %s', (path) => {
    expect(() =>
      validateInputTransformer({ inputPathsMap: { v: path }, inputTemplate: '<v>' }),
    ).not.toThrow();
  });

  it('refuses an empty, oversized or missing template', () => {
    expect(reason({ inputTemplate: '' })).toContain('1 to 8192 characters');
    expect(reason({ inputTemplate: `"${'x'.repeat(8191)}"` })).toContain('1 to 8192 characters');
    expect(reason({ inputPathsMap: {} })).toContain('inputTemplate must be a string');
  });

  it('refuses a template that opens a JSON object but is not JSON', () => {
    expect(reason({ inputPathsMap: { s: '$.detail.state' }, inputTemplate: '{"state": <s>,}' })).toContain(
      'is not valid JSON',
    );
  });

  it('refuses a placeholder used as an object key', () => {
    const paths = { k: '$.detail.state' };
    expect(reason({ inputPathsMap: paths, inputTemplate: '{<k>: 1}' })).toContain(
      'cannot be used as an object key',
    );
    expect(reason({ inputPathsMap: paths, inputTemplate: '{"<k>": 1}' })).toContain(
      'cannot be used as an object key',
    );
  });

  it('refuses an inputPathsMap that is not an object', () => {
    expect(reason({ inputPathsMap: ['$.detail'], inputTemplate: 'x' })).toContain(
      'inputPathsMap must be an object',
    );
  });
});
