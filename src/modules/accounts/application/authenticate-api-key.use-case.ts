import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import type { ApiKey } from '../domain/api-key';
import { apiKeySecretMatches, parseApiKeyToken } from '../domain/api-key-token';
import { rateLimitWindow } from '../domain/api-rate-limit';
import { ApiKeyRepository } from './ports/api-key.repository';

export type ApiKeyAuthentication =
  { outcome: 'refused' } | { outcome: 'rate-limited'; key: ApiKey; retryAfterSeconds: number } | { outcome: 'accepted'; key: ApiKey };

// Checks a presented API key and counts the request against the key's per-minute limit. Malformed, unknown
// and revoked keys are refused alike: the caller learns nothing about which keys exist.
@Injectable()
export class AuthenticateApiKeyUseCase {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly clock: Clock,
  ) {}

  async execute(presented: string, limitPerMinute: number): Promise<ApiKeyAuthentication> {
    const token = parseApiKeyToken(presented);
    if (!token) return { outcome: 'refused' };
    const key = await this.keys.findByPublicId(token.publicId);
    if (!key || !apiKeySecretMatches(token.secret, key.secretHash) || !key.isActive()) return { outcome: 'refused' };
    const now = this.clock.now();
    const window = rateLimitWindow(now);
    const count = await this.keys.countRequest(key, window.start, now);
    if (count > limitPerMinute) return { outcome: 'rate-limited', key, retryAfterSeconds: window.secondsLeft };
    return { outcome: 'accepted', key };
  }
}
