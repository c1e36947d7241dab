// IP parsing and CIDR ranges, checked against event-ruler's own CIDR expectations.
import { describe, expect, it } from '@jest/globals';
import { parseCidr, parseIp } from '../src/ip.js';

const hex = (bytes: Uint8Array | null) =>
  bytes === null ? null : Buffer.from(bytes).toString('hex').toUpperCase();

describe('parseIp', () => {
  it.each([
    ['0011:2233:4455:6677:8899:aabb:ccdd:eeff', '00112233445566778899AABBCCDDEEFF'],
    ['2001:db8::ff00:42:8329', '20010DB8000000000000FF0000428329'],
    ['::1', '00000000000000000000000000000001'],
    ['::', '00000000000000000000000000000000'],
    ['10.0.0.0', '0A000000'],
    ['54.240.196.171', '36F0C4AB'],
    ['2400:6500:FF00::36FB:1F80', '24006500FF0000000000000036FB1F80'],
    ['::ffff:a00:1', '0A000001'],
  ])('reads %s', (text, expected) => {
    expect(hex(parseIp(text))).toBe(expected);
  });

  it.each([
    '700.168.0.1',
    'foo',
    '192.-3.0.1',
    '10.10.10.10.10',
    '1.2.3',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '12345::',
    ':1',
    'fe80::1%eth0',
  ])('refuses %s', (text) => {
    expect(parseIp(text)).toBeNull();
  });
});

describe('parseCidr', () => {
  it.each([
    ['10.0.0.0/24', '0A000000', '0A0000FF'],
    ['13.32.0.0/15', '0D200000', '0D21FFFF'],
    ['27.0.0.0/22', '1B000000', '1B0003FF'],
    ['52.76.128.0/17', '344C8000', '344CFFFF'],
    ['54.240.196.171/24', '36F0C4AB', '36F0C4FF'],
    ['2400:6500:FF00::36FB:1F80/122', '24006500FF0000000000000036FB1F80', '24006500FF0000000000000036FB1FBF'],
    ['2600:1F14::/35', '26001F14000000000000000000000000', '26001F141FFFFFFFFFFFFFFFFFFFFFFF'],
  ])('%s covers the same range as in event-ruler', (cidr, low, high) => {
    const range = parseCidr(cidr);
    expect([hex(range.low), hex(range.high)]).toEqual([low, high]);
  });

  it.each([
    ['192.168.0.1/33', 'IPv4 mask bits must be < 32'],
    ['foo', "one '/' required"],
    ['foo/bar/baz', "one '/' required"],
    ['192.168.0.1/foo', 'mask bits must be an integer'],
    ['192.168.0.1/-3424', 'must not be negative'],
    ['snorkle/3', 'Invalid IP address'],
    ['10.10.10.10.10/3', 'Invalid IP address'],
    ['2400:6500:3:3:3:3:3:3:3:3FF00::36FB:1F80/122', 'Invalid IP address'],
    ['2400:6500:FF00::36FB:1F80/222', 'IPv6 mask bits must be < 128'],
  ])('refuses %s', (cidr, problem) => {
    expect(() => parseCidr(cidr)).toThrow(problem);
  });
});
