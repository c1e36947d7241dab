// ARNs as the operations read them: which service a DLQ message's target is, which rule and bus
// sent it, and the URL of an SQS queue known only by its ARN.

export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the account: `function:name`, `rule/bus/name`, a queue's name... */
  resource: string;
}

/** `arn:partition:service:region:account:resource`, or undefined when it is not one. */
export function parseArn(value: string): Arn | undefined {
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition, service, region, account, ...rest] = parts;
  const resource = rest.join(':');
  if (!partition || !service || !resource) return undefined;
  return { partition, service, region: region ?? '', account: account ?? '', resource };
}

/** A rule ARN's bus and rule: `rule/<bus>/<rule>` on a custom bus, `rule/<rule>` on the default one. */
export function ruleOfArn(ruleArn: string): { busName: string; ruleName: string } | undefined {
  const arn = parseArn(ruleArn);
  if (arn?.service !== 'events' || !arn.resource.startsWith('rule/')) return undefined;
  const path = arn.resource.slice('rule/'.length).split('/');
  if (path.length === 1 && path[0]) return { busName: 'default', ruleName: path[0] };
  if (path.length === 2 && path[0] && path[1]) return { busName: path[0], ruleName: path[1] };
  return undefined;
}

/** What an operator recognises: a function, state machine, topic or queue name; the ARN otherwise. */
export function shortName(value: string): string {
  const arn = parseArn(value);
  if (!arn) return value;
  if (arn.service === 'lambda') return arn.resource.split(':')[1] ?? value;
  if (arn.service === 'states') return arn.resource.split(':')[1] ?? value;
  if (arn.service === 'events') return ruleOfArn(value)?.ruleName ?? arn.resource.split('/').pop() ?? value;
  return arn.resource.split('/').pop() ?? value;
}

/** `arn:aws:sqs:<region>:<account>:<name>` -> the queue URL the SQS API takes. */
export function queueUrlOfArn(queueArn: string): string {
  const arn = parseArn(queueArn);
  if (arn?.service !== 'sqs' || !arn.region || !arn.account) {
    throw new Error(`not an SQS queue ARN: ${queueArn}`);
  }
  const domain = arn.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sqs.${arn.region}.${domain}/${arn.account}/${arn.resource}`;
}

/** The last path segment of a queue URL: its name. */
export function queueNameOfUrl(url: string): string {
  return url.replace(/\/+$/, '').split('/').pop() ?? url;
}
