import { AuditTrail, type AuditEntryInput } from '../../../audit';
import { ApiKeyRepository } from '../../application/ports/api-key.repository';
import type { ApiKey } from '../../domain/api-key';

// In-memory fakes for the API key use cases: the same contract as the PostgreSQL repository.
export class InMemoryApiKeyRepository extends ApiKeyRepository {
  readonly rows = new Map<string, ApiKey>();
  readonly counts = new Map<string, number>();

  async findByPublicId(publicId: string) {
    return [...this.rows.values()].find((k) => k.publicId === publicId) ?? null;
  }
  async findById(organizationId: string, id: string) {
    const key = this.rows.get(id);
    return key?.organizationId === organizationId ? key : null;
  }
  async listByOrganization(organizationId: string) {
    return [...this.rows.values()]
      .filter((k) => k.organizationId === organizationId)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  }
  add(key: ApiKey) {
    this.rows.set(key.id, key);
  }
  async countRequest(key: ApiKey, windowStart: Date, now: Date) {
    const slot = `${key.id}@${windowStart.toISOString()}`;
    const count = (this.counts.get(slot) ?? 0) + 1;
    this.counts.set(slot, count);
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= 60_000) key.lastUsedAt = now;
    return count;
  }
}

export class RecordingAuditTrail extends AuditTrail {
  readonly entries: AuditEntryInput[] = [];
  record(entry: AuditEntryInput) {
    this.entries.push(entry);
  }
}
