import { createHash, createSign, createVerify, type KeyObject } from 'node:crypto';

export type JwtClaims = Record<string, unknown>;

export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: JwtClaims;
  signedPart: string;
  signature: Buffer;
}

export function signJwt(header: Record<string, unknown>, claims: JwtClaims, privateKeyPem: string): string {
  const signedPart = `${encodeSegment(header)}.${encodeSegment(claims)}`;
  const signature = createSign('RSA-SHA256').update(signedPart).sign(privateKeyPem);
  return `${signedPart}.${signature.toString('base64url')}`;
}

// Returns undefined for anything that is not a three-part JWT with JSON header and payload.
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    return {
      header: JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as Record<string, unknown>,
      claims: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as JwtClaims,
      signedPart: `${parts[0]}.${parts[1]}`,
      signature: Buffer.from(parts[2], 'base64url'),
    };
  } catch {
    return undefined;
  }
}

export function hasValidSignature(jwt: DecodedJwt, publicKey: KeyObject | string): boolean {
  return createVerify('RSA-SHA256').update(jwt.signedPart).verify(publicKey, jwt.signature);
}

// OIDC c_hash / at_hash: left half of the SHA-256 of the value, base64url.
export function leftHalfHash(value: string): string {
  const digest = createHash('sha256').update(value, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

function encodeSegment(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}
