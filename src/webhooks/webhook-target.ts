import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may point. Only http(s); and unless private targets are
 * allowed (WEBHOOK_ALLOW_PRIVATE_TARGETS, default true outside production),
 * no address inside the server's own networks: the service would otherwise be
 * a proxy into them (SSRF). The address check runs on the literal IP at
 * registration and on every address the name resolves to at delivery, at
 * connect time (so a DNS answer cannot change between check and use).
 */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) BLOCKED.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['fd00:ec2::254', 128], // AWS metadata over IPv6 (inside fc00::/7 anyway)
] as const) BLOCKED.addSubnet(net, prefix, 'ipv6');

/** IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible forms are judged as the IPv4 address. */
function embeddedIPv4(address: string): string | null {
  const m = /^::(?:ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (m) return m[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const a = parseInt(hex[1], 16);
    const b = parseInt(hex[2], 16);
    return `${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`;
  }
  return null;
}

/** True when the address is loopback, private, link-local, CGNAT, unique-local, metadata or otherwise not public. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const v4 = isIP(bare) === 6 ? embeddedIPv4(bare) : null;
  if (v4) return BLOCKED.check(v4, 'ipv4');
  const family = isIP(bare);
  if (family === 4) return BLOCKED.check(bare, 'ipv4');
  if (family === 6) return BLOCKED.check(bare, 'ipv6');
  return false;
}

/** Why a URL cannot be a webhook target, or null when it can (at registration; names are checked again at delivery). */
export function webhookUrlProblem(raw: string, allowPrivate: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'url must be an absolute http(s) URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `url must use http or https, not ${url.protocol.replace(/:$/, '')}`;
  if (url.username || url.password) return 'url must not carry credentials (user:password@)';
  if (!url.hostname) return 'url must name a host';
  if (allowPrivate) return null;
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (isIP(host) && isPrivateAddress(host)) return `url points to a private or loopback address (${host}); not allowed in production (WEBHOOK_ALLOW_PRIVATE_TARGETS)`;
  if (/^localhost$|\.localhost$/i.test(host)) return `url points to localhost; not allowed in production (WEBHOOK_ALLOW_PRIVATE_TARGETS)`;
  return null;
}
