import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// The clear key a partner's system sends: `s365_<public id>_<secret>`. The public id finds the row (it may be
// shown and logged); the secret proves possession and is kept only as a SHA-256 hash. A fast hash is enough:
// the secret is 256 random bits, not a password anyone could guess.
const PREFIX = 's365_';
const PUBLIC_ID = /^[0-9a-f]{16}$/;
// 32 bytes in base64url without padding.
const SECRET = /^[A-Za-z0-9_-]{43}$/;

export interface ApiKeyToken {
  publicId: string;
  secret: string;
}

export function generateApiKeyToken(): ApiKeyToken & { clear: string } {
  const publicId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { publicId, secret, clear: `${PREFIX}${publicId}_${secret}` };
}

// null when the text cannot be a Sync 365 key (the secret may itself contain `_`, the public id cannot).
export function parseApiKeyToken(clear: string): ApiKeyToken | null {
  if (!clear.startsWith(PREFIX)) return null;
  const rest = clear.slice(PREFIX.length);
  const separator = rest.indexOf('_');
  if (separator < 0) return null;
  const publicId = rest.slice(0, separator);
  const secret = rest.slice(separator + 1);
  return PUBLIC_ID.test(publicId) && SECRET.test(secret) ? { publicId, secret } : null;
}

export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

// Constant time, so response times reveal nothing about how much of a guessed secret was right.
export function apiKeySecretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashApiKeySecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
