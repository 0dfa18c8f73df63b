import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { rawSql } from '../../../../shared/infrastructure/database/raw-sql';
import { ApiKeyRepository } from '../../application/ports/api-key.repository';
import { ApiKey } from '../../domain/api-key';

@Injectable()
export class MikroOrmApiKeyRepository extends ApiKeyRepository {
  constructor(private readonly em: EntityManager) {
    super();
  }

  findByPublicId(publicId: string): Promise<ApiKey | null> {
    return this.em.findOne(ApiKey, { publicId });
  }

  findById(organizationId: string, id: string): Promise<ApiKey | null> {
    return this.em.findOne(ApiKey, { organizationId, id });
  }

  listByOrganization(organizationId: string): Promise<ApiKey[]> {
    return this.em.find(ApiKey, { organizationId }, { orderBy: { createdAt: 'desc', id: 'asc' } });
  }

  add(key: ApiKey): void {
    this.em.persist(key);
  }

  // One round trip per API request, atomic across app instances: the upsert returns the count after this
  // request. The same statement drops the key's earlier windows (so the table holds about one row per key) and
  // moves last_used_at forward when it is more than a minute old. The drop skips rows another request still
  // holds: at a minute boundary that request also waits for the key row, and waiting on each other would
  // deadlock.
  async countRequest(key: ApiKey, windowStart: Date, now: Date): Promise<number> {
    const [row] = await rawSql<{ count: number }>(
      this.em,
      `with touched as (
         update api_keys set last_used_at = ? where id = ? and (last_used_at is null or last_used_at <= ?::timestamptz - interval '1 minute')
       ), pruned as (
         delete from api_key_request_counts where api_key_id = ? and window_start in (
           select window_start from api_key_request_counts where api_key_id = ? and window_start < ? for update skip locked)
       )
       insert into api_key_request_counts (api_key_id, organization_id, window_start, count) values (?, ?, ?, 1)
       on conflict (api_key_id, window_start) do update set count = api_key_request_counts.count + 1
       returning count`,
      [now, key.id, now, key.id, key.id, windowStart, key.id, key.organizationId, windowStart],
    );
    return row.count;
  }
}
