import { describe, expect, it } from '@jest/globals';
import { MediaConfigError, mediaLimitsFromEnv, parseAllowedHost } from '../../src/media/index.js';

describe('mediaLimitsFromEnv', () => {
  it("defaults to X's media hosts, 5 MiB, 10 s and 3 redirects", () => {
    expect(mediaLimitsFromEnv({})).toEqual({
      allowedHosts: [
        { hostname: 'pbs.twimg.com', port: null },
        { hostname: 'ton.twitter.com', port: null },
      ],
      maxBytes: 5_242_880,
      timeoutMs: 10_000,
      maxRedirects: 3,
    });
    // Empty is unset: env files and CDK write `NAME=`.
    expect(mediaLimitsFromEnv({ MURMUR_MEDIA_HOSTS: ' ', MURMUR_MEDIA_MAX_BYTES: '' })).toEqual(
      mediaLimitsFromEnv({}),
    );
  });

  it('reads hosts with ports, normalised as URLs spell them', () => {
    const limits = mediaLimitsFromEnv({
      MURMUR_MEDIA_HOSTS: ' PBS.twimg.com , 127.0.0.1:8080,[::1]:9000,localhost,media.example.org.,',
      MURMUR_MEDIA_MAX_BYTES: '1048576',
      MURMUR_MEDIA_TIMEOUT_MS: '2500',
      MURMUR_MEDIA_MAX_REDIRECTS: '0',
    });
    expect(limits).toEqual({
      allowedHosts: [
        { hostname: 'pbs.twimg.com', port: null },
        { hostname: '127.0.0.1', port: 8080 },
        { hostname: '[::1]', port: 9000 },
        { hostname: 'localhost', port: null },
        { hostname: 'media.example.org', port: null },
      ],
      maxBytes: 1_048_576,
      timeoutMs: 2500,
      maxRedirects: 0,
    });
  });

  it.each([
    ['MURMUR_MEDIA_HOSTS', 'https://pbs.twimg.com', /not a host or host:port/],
    ['MURMUR_MEDIA_HOSTS', 'pbs.twimg.com/media', /not a host or host:port/],
    ['MURMUR_MEDIA_HOSTS', 'user@pbs.twimg.com', /not a host or host:port/],
    ['MURMUR_MEDIA_HOSTS', '*.twimg.com', /no wildcards/],
    ['MURMUR_MEDIA_HOSTS', 'pbs.twimg.com:0', /port outside/],
    ['MURMUR_MEDIA_HOSTS', 'pbs.twimg.com:70000', /port outside/],
    ['MURMUR_MEDIA_HOSTS', ',,', /names no host/],
    ['MURMUR_MEDIA_MAX_BYTES', '5MB', /whole number of bytes/],
    ['MURMUR_MEDIA_MAX_BYTES', '-1', /whole number of bytes/],
    ['MURMUR_MEDIA_MAX_BYTES', '0', /between 1 and 15000000 bytes/],
    ['MURMUR_MEDIA_MAX_BYTES', '20000000', /between 1 and 15000000 bytes/],
    ['MURMUR_MEDIA_TIMEOUT_MS', '10s', /whole number of milliseconds/],
    ['MURMUR_MEDIA_TIMEOUT_MS', '5', /between 100 and 300000 milliseconds/],
    ['MURMUR_MEDIA_MAX_REDIRECTS', '11', /between 0 and 10 redirects/],
    ['MURMUR_MEDIA_MAX_REDIRECTS', '1.5', /whole number of redirects/],
  ])('refuses %s=%j, naming the variable', (name, value, reason) => {
    const read = () => mediaLimitsFromEnv({ [name]: value });
    expect(read).toThrow(MediaConfigError);
    expect(read).toThrow(new RegExp(`^${name}=`));
    expect(read).toThrow(reason);
  });
});

describe('parseAllowedHost', () => {
  it('keeps IPv6 in brackets and maps IPv4 shorthand to its dotted form', () => {
    expect(parseAllowedHost('[::1]')).toEqual({ hostname: '[::1]', port: null });
    expect(parseAllowedHost('127.1:443')).toEqual({ hostname: '127.0.0.1', port: 443 });
  });
});
