import { ArrayType, EntitySchema } from '@mikro-orm/core';
import { ApiKey } from '../../domain/api-key';

export const ApiKeySchema = new EntitySchema<ApiKey>({
  class: ApiKey,
  tableName: 'api_keys',
  properties: {
    id: { type: 'uuid', primary: true },
    organizationId: { type: 'uuid' },
    publicId: { type: 'text', unique: true },
    secretHash: { type: 'text' },
    name: { type: 'text' },
    scopes: { type: ArrayType, columnType: 'text[]' },
    createdAt: { type: 'datetime' },
    createdByUserId: { type: 'uuid' },
    createdByName: { type: 'text' },
    lastUsedAt: { type: 'datetime', nullable: true },
    revokedAt: { type: 'datetime', nullable: true },
    revokedByUserId: { type: 'uuid', nullable: true },
    revokedByName: { type: 'text', nullable: true },
  },
});
