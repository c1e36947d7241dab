/** One namespaced source per publishing service; the bus policy lets a service publish only its own. */
export const SOURCES = {
  ingress: 'murmur.ingress',
  analysis: 'murmur.analysis',
  alerting: 'murmur.alerting',
  responding: 'murmur.responding',
  egress: 'murmur.egress',
} as const;

export type Source = (typeof SOURCES)[keyof typeof SOURCES];
