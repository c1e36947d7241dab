import { describe, expect, it } from '@jest/globals';
import {
  AwsCallError,
  awsCall,
  awsError,
  clientConfig,
  createAwsClients,
  Interruption,
  isIdentityError,
  pollIntervalMs,
} from '../src/aws/index.js';
import { mapLimit } from '../src/aws/map-limit.js';

const named = (name: string, message = 'boom') => Object.assign(new Error(message), { name });

describe('client configuration', () => {
  it('takes --region, then AWS_REGION, then AWS_DEFAULT_REGION, else leaves it to the profile', () => {
    const env = { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-east-1' };
    expect(clientConfig({ region: 'ap-south-1' }, env)).toEqual({ region: 'ap-south-1' });
    expect(clientConfig({}, env)).toEqual({ region: 'eu-west-1' });
    expect(clientConfig({}, { AWS_DEFAULT_REGION: 'us-east-1' })).toEqual({ region: 'us-east-1' });
    expect(clientConfig({ profile: 'ops' }, {})).toEqual({ profile: 'ops' });
  });

  it('makes each client once, on first use, with that configuration', async () => {
    const clients = createAwsClients({ region: 'eu-central-1' }, {});
    expect(clients.sqs).toBe(clients.sqs);
    expect(await clients.athena.config.region()).toBe('eu-central-1');
  });
});

describe('AWS errors', () => {
  it('name the operation, and say what to do about identity problems', () => {
    expect(awsError('SQS ListQueues', named('AccessDenied', 'no')).message).toBe(
      'SQS ListQueues: AccessDenied: no (your AWS identity lacks this permission: docs/runbook.md, "Operations on AWS", lists what each command needs)',
    );
    expect(awsError('X', named('CredentialsProviderError')).message).toMatch(/\(no usable AWS credentials: /);
    expect(awsError('X', named('ExpiredTokenException')).message).toMatch(/\(the AWS session has expired/);
    expect(awsError('X', named('ThrottlingException')).message).toBe('X: ThrottlingException: boom');
  });

  it('tell identity errors (which every later call would repeat) from the others', () => {
    expect(isIdentityError(named('AccessDeniedException'))).toBe(true);
    expect(isIdentityError(named('UnrecognizedClientException'))).toBe(true);
    expect(isIdentityError(new AwsCallError('x', 'ExpiredToken'))).toBe(true);
    expect(isIdentityError(named('ResourceNotFoundException'))).toBe(false);
    expect(isIdentityError(new Error('plain'))).toBe(false);
  });

  it('turn known error names into the given message, and nothing else', async () => {
    const known = { ResourceNotFoundException: 'archive a does not exist' };
    await expect(
      awsCall('op', () => Promise.reject(named('ResourceNotFoundException')), known),
    ).rejects.toThrow(/^archive a does not exist$/);
    await expect(awsCall('op', () => Promise.reject(named('constructor')), known)).rejects.toThrow(
      /^op: constructor: boom$/,
    );
    await expect(awsCall('op', () => Promise.resolve(7))).resolves.toBe(7);
  });
});

describe('polling', () => {
  it('reads MURMUR_AWS_POLL_MS, ignoring what is not a whole number of ms', () => {
    expect(pollIntervalMs({})).toBe(2000);
    expect(pollIntervalMs({ MURMUR_AWS_POLL_MS: '0' })).toBe(0);
    expect(pollIntervalMs({ MURMUR_AWS_POLL_MS: '250' }, 9)).toBe(250);
    expect(pollIntervalMs({ MURMUR_AWS_POLL_MS: 'soon' }, 9)).toBe(9);
    expect(pollIntervalMs({ MURMUR_AWS_POLL_MS: '-1' }, 9)).toBe(9);
  });

  it('cuts a pause short when the user interrupts, and stays interrupted', async () => {
    let press!: () => void;
    const interruption = new Interruption(new Promise<void>((resolve) => (press = resolve)));
    expect(await interruption.pause(0)).toBe(false);
    const long = interruption.pause(60_000);
    press();
    expect(await long).toBe(true);
    expect(interruption.interrupted).toBe(true);
    expect(await interruption.pause(60_000)).toBe(true);
  });
});

describe('mapLimit', () => {
  it('keeps the input order and never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const result = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, n));
      running--;
      return n * 10;
    });
    expect(result).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
    expect(await mapLimit([], 3, async () => 1)).toEqual([]);
  });
});
