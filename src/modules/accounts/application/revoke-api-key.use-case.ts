import { Injectable } from '@nestjs/common';
import type { Actor } from '../../../shared/application/actor';
import { Clock } from '../../../shared/application/clock';
import { Transaction } from '../../../shared/application/transaction';
import { AuditTrail } from '../../audit';
import type { ApiKey } from '../domain/api-key';
import { ApiKeyNotFoundError } from '../domain/api-key.errors';
import { ApiKeyRepository } from './ports/api-key.repository';

// A revoked key is refused from its next request on, by every app instance (each request reads the key).
@Injectable()
export class RevokeApiKeyUseCase {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly audit: AuditTrail,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  // Returns the key and whether this call revoked it (false: it already was, and nothing is recorded twice).
  execute(input: { actor: Actor; keyId: string }): Promise<{ key: ApiKey; revoked: boolean }> {
    const { actor } = input;
    return this.transaction.run(async () => {
      const key = await this.keys.findById(actor.organizationId, input.keyId);
      if (!key) throw new ApiKeyNotFoundError();
      const revoked = key.revoke({ userId: actor.userId, name: actor.displayName }, this.clock.now());
      if (revoked) {
        this.audit.record({
          organizationId: actor.organizationId,
          actorUserId: actor.userId,
          actorName: actor.displayName,
          action: 'accounts.api-key-revoked',
          subject: key.name,
          outcome: 'success',
          detail: `Key s365_${key.publicId}_… no longer works.`,
        });
      }
      return { key, revoked };
    });
  }
}
