import type { ApiKey } from '../../domain/api-key';

export abstract class ApiKeyRepository {
  // The one lookup not scoped by organization: the key itself names its organization.
  abstract findByPublicId(publicId: string): Promise<ApiKey | null>;
  abstract findById(organizationId: string, id: string): Promise<ApiKey | null>;
  // Newest first, revoked ones included.
  abstract listByOrganization(organizationId: string): Promise<ApiKey[]>;
  abstract add(key: ApiKey): void;
  // Counts one request of the key in the window starting at `windowStart` and returns the window's count so
  // far, this request included. Also records the key as used at `now` (at most once a minute, to spare writes).
  abstract countRequest(key: ApiKey, windowStart: Date, now: Date): Promise<number>;
}
