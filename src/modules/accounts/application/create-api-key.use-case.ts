import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../../../shared/application/actor';
import { Clock } from '../../../shared/application/clock';
import { Transaction } from '../../../shared/application/transaction';
import { AuditTrail } from '../../audit';
import { ApiKey } from '../domain/api-key';
import { generateApiKeyToken, hashApiKeySecret } from '../domain/api-key-token';
import { ApiKeyRepository } from './ports/api-key.repository';

export interface CreatedApiKey {
  key: ApiKey;
  // The whole key, which exists only here: shown to the person once and never stored.
  clearKey: string;
}

@Injectable()
export class CreateApiKeyUseCase {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly audit: AuditTrail,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  async execute(input: { actor: Actor; name: string; scopes: readonly string[] }): Promise<CreatedApiKey> {
    const { actor } = input;
    const token = generateApiKeyToken();
    const key = ApiKey.issue({
      id: randomUUID(),
      organizationId: actor.organizationId,
      publicId: token.publicId,
      secretHash: hashApiKeySecret(token.secret),
      name: input.name,
      scopes: input.scopes,
      createdBy: { userId: actor.userId, name: actor.displayName },
      now: this.clock.now(),
    });
    await this.transaction.run(async () => {
      this.keys.add(key);
      this.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorName: actor.displayName,
        action: 'accounts.api-key-created',
        subject: key.name,
        outcome: 'success',
        detail: `Key s365_${key.publicId}_… with ${key.scopes.join(', ')}.`,
      });
    });
    return { key, clearKey: token.clear };
  }
}
