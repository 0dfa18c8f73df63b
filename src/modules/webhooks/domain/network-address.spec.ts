import {
  isAllowedHost,
  isIpAddress,
  isLocalhostName,
  isPublicAddress,
  isRefusedUrlHost,
  mayConnect,
  parseIPv4,
  parseIPv6,
} from './network-address';

describe('public internet addresses (where webhooks may go)', () => {
  it('accepts public IPv4 addresses, including the neighbours of every private range', () => {
    for (const ip of [
      '8.8.8.8',
      '1.1.1.1',
      '93.184.216.34',
      '9.255.255.255',
      '11.0.0.0',
      '100.63.255.255',
      '100.128.0.0',
      '126.255.255.255',
      '128.0.0.0',
      '169.253.255.255',
      '169.255.0.0',
      '172.15.255.255',
      '172.32.0.0',
      '192.0.1.255',
      '192.0.3.0',
      '192.167.255.255',
      '192.169.0.0',
      '198.17.255.255',
      '198.20.0.0',
      '223.255.255.255',
    ]) {
      expect([ip, isPublicAddress(ip)]).toEqual([ip, true]);
    }
  });

  it('refuses loopback, private, link-local (cloud metadata), CGNAT, "this network", special, multicast and reserved IPv4', () => {
    const refused = {
      'this network': ['0.0.0.0', '0.1.2.3', '0.255.255.255'],
      'private 10/8': ['10.0.0.0', '10.1.2.3', '10.255.255.255'],
      'CGNAT 100.64/10': ['100.64.0.0', '100.100.100.100', '100.127.255.255'],
      loopback: ['127.0.0.1', '127.0.0.0', '127.255.255.254'],
      'link-local and metadata': ['169.254.169.254', '169.254.0.1', '169.254.255.255'],
      'private 172.16/12': ['172.16.0.0', '172.20.1.1', '172.31.255.255'],
      'IETF 192.0.0/24': ['192.0.0.0', '192.0.0.170', '192.0.0.255'],
      documentation: ['192.0.2.1', '198.51.100.7', '203.0.113.9'],
      'private 192.168/16': ['192.168.0.1', '192.168.255.255'],
      'benchmarking 198.18/15': ['198.18.0.0', '198.19.255.255'],
      multicast: ['224.0.0.1', '239.255.255.250'],
      'reserved 240/4 and broadcast': ['240.0.0.1', '250.1.2.3', '255.255.255.255'],
    };
    for (const [range, ips] of Object.entries(refused)) {
      for (const ip of ips) expect([range, ip, isPublicAddress(ip)]).toEqual([range, ip, false]);
    }
  });

  it('accepts public (global unicast) IPv6 addresses', () => {
    for (const ip of [
      '2606:4700:4700::1111',
      '2001:4860:4860::8888',
      '2a00:1450:4001:82a::200e',
      '[2606:4700:4700::1111]',
      '2001:200::1',
      '2002:0808:0808::1',
    ]) {
      expect([ip, isPublicAddress(ip)]).toEqual([ip, true]);
    }
  });

  it('refuses IPv6 loopback, unspecified, unique local, link-local, site-local, multicast, documentation and IETF blocks', () => {
    for (const ip of [
      '::1',
      '[::1]',
      '0:0:0:0:0:0:0:1',
      '::',
      'fc00::1',
      'fd12:3456:789a::1',
      'fe80::1',
      'febf::1',
      'fec0::1',
      'ff02::1',
      'ff0e::1',
      '2001:db8::1',
      '2001::1',
      '2001:0:4136:e378:8000:63bf:3fff:fdd2',
      '2001:2::1',
      '3fff::1',
      '100::1',
      '64:ff9b:1::1',
      '::2',
      '1::',
    ]) {
      expect([ip, isPublicAddress(ip)]).toEqual([ip, false]);
    }
  });

  it('checks the IPv4 address inside IPv4-mapped, NAT64 and 6to4 IPv6 addresses', () => {
    for (const ip of [
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '[::ffff:169.254.169.254]',
      '::ffff:10.0.0.1',
      '::FFFF:192.168.1.1',
      '64:ff9b::127.0.0.1',
      '64:ff9b::a9fe:a9fe',
      '64:ff9b::10.1.1.1',
      '2002:7f00:1::1',
      '2002:a9fe:a9fe::',
    ]) {
      expect([ip, isPublicAddress(ip)]).toEqual([ip, false]);
    }
    for (const ip of ['::ffff:8.8.8.8', '::ffff:808:808', '64:ff9b::8.8.8.8', '64:ff9b::101:101']) {
      expect([ip, isPublicAddress(ip)]).toEqual([ip, true]);
    }
    // IPv4-compatible (deprecated) addresses are not global unicast either.
    expect(isPublicAddress('::8.8.8.8')).toBe(false);
  });

  it('refuses whatever is not an address written the usual way (fails closed)', () => {
    for (const text of [
      '',
      'localhost',
      'example.com',
      '127.1',
      '0x7f.0.0.1',
      '0177.0.0.1',
      '2130706433',
      '1.2.3',
      '1.2.3.4.5',
      '256.1.1.1',
      '1.2.3.-1',
      ' ',
      'fe80::1%eth0',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      '12345::',
      'g::1',
      '::ffff:1.2.3',
      '1.2.3.4::',
      ':::',
    ]) {
      expect([text, isPublicAddress(text)]).toEqual([text, false]);
    }
  });

  it('parses IPv4 and IPv6 into bytes', () => {
    expect(parseIPv4('192.168.1.20')).toEqual([192, 168, 1, 20]);
    expect(parseIPv4('01.2.3.4')).toBeNull();
    expect(parseIPv6('::1')).toEqual([...new Array<number>(15).fill(0), 1]);
    expect(parseIPv6('1:2:3:4:5:6:7:8')).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]);
    expect(parseIPv6('::ffff:1.2.3.4')?.slice(10)).toEqual([0xff, 0xff, 1, 2, 3, 4]);
    expect(parseIPv6('1:2:3:4:5:6:7::')).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0]);
    expect(parseIPv6('1:2:3:4:5:6:7:8::')).toBeNull();
    expect(isIpAddress('[::1]')).toBe(true);
    expect(isIpAddress('hooks.example.com')).toBe(false);
  });
});

describe('hosts a webhook URL may name', () => {
  it('refuses localhost and its subdomains, and private addresses written in the URL', () => {
    for (const host of [
      'localhost',
      'LOCALHOST',
      'localhost.',
      'app.localhost',
      '127.0.0.1',
      '10.0.0.5',
      '169.254.169.254',
      '0.0.0.0',
      '[::1]',
      '[fd00::1]',
      '[::ffff:7f00:1]',
    ]) {
      expect([host, isRefusedUrlHost(host, [])]).toEqual([host, true]);
    }
    expect(isLocalhostName('notlocalhost')).toBe(false);
  });

  it('leaves names to be checked when sending (DNS can change), and lets public addresses through', () => {
    for (const host of ['hooks.example.com', 'internal.corp', '8.8.8.8', '[2606:4700:4700::1111]', 'localhost.example.com']) {
      expect([host, isRefusedUrlHost(host, [])]).toEqual([host, false]);
    }
  });

  it('accepts a private host the operator allowed, by name or by address however written', () => {
    const allowed = ['127.0.0.1', 'localhost', 'receiver.internal', '[::1]'];
    expect(isRefusedUrlHost('127.0.0.1', allowed)).toBe(false);
    expect(isRefusedUrlHost('localhost', allowed)).toBe(false);
    expect(isRefusedUrlHost('[::1]', allowed)).toBe(false);
    expect(isRefusedUrlHost('[0:0:0:0:0:0:0:1]', allowed)).toBe(false);
    expect(isRefusedUrlHost('[::ffff:127.0.0.1]', allowed)).toBe(false);
    expect(isAllowedHost('Receiver.Internal.', allowed)).toBe(true);
    // Only what is listed: another loopback address, another name under localhost.
    expect(isRefusedUrlHost('127.0.0.2', allowed)).toBe(true);
    expect(isRefusedUrlHost('app.localhost', allowed)).toBe(true);
    expect(isAllowedHost('other.internal', allowed)).toBe(false);
  });
});

describe('connecting to the addresses a name resolves to', () => {
  it('connects to public addresses only, unless the host or that address is allowed', () => {
    expect(mayConnect('hooks.example.com', '93.184.216.34', [])).toBe(true);
    expect(mayConnect('hooks.example.com', '2606:4700:4700::1111', [])).toBe(true);
    // A name that resolves (or is rebound) to a private address is refused.
    expect(mayConnect('hooks.example.com', '127.0.0.1', [])).toBe(false);
    expect(mayConnect('hooks.example.com', '169.254.169.254', [])).toBe(false);
    expect(mayConnect('hooks.example.com', '::ffff:10.0.0.1', [])).toBe(false);
    expect(mayConnect('localhost', '::1', [])).toBe(false);
    expect(mayConnect('receiver.internal', '10.0.0.5', ['receiver.internal'])).toBe(true);
    expect(mayConnect('localhost', '127.0.0.1', ['localhost'])).toBe(true);
    expect(mayConnect('hooks.example.com', '10.0.0.5', ['10.0.0.5'])).toBe(true);
    expect(mayConnect('hooks.example.com', '10.0.0.6', ['10.0.0.5'])).toBe(false);
  });
});
