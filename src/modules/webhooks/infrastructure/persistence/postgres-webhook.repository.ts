import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { SecretCipher } from '../../../../shared/application/secret-cipher.port';
import { isGuid } from '../../../../shared/domain/guid';
import { rawSql, sqlTime } from '../../../../shared/infrastructure/database/raw-sql';
import {
  WebhookRepository,
  type ClaimedDelivery,
  type DeliveryAttempt,
  type DeliveryLogEntry,
  type EndpointSummary,
} from '../../application/ports/webhook.repository';
import type { DeliveryState, WebhookDelivery } from '../../domain/webhook-delivery';
import type { WebhookEndpoint } from '../../domain/webhook-endpoint';
import type { WebhookEventType } from '../../domain/webhook-events';

type Time = string | Date;

interface EndpointRow {
  id: string;
  organization_id: string;
  url: string;
  events: WebhookEventType[];
  created_at: Time;
  created_by_name: string;
  secret_rotated_at: Time | null;
}

interface DeliveryRow {
  id: string;
  organization_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  body: string;
  state: DeliveryState;
  attempts: number;
  next_attempt_at: Time | null;
  created_at: Time;
  requested_by_name: string | null;
  redelivery_of: string | null;
  last_attempt_at: Time | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: Time | null;
}

interface AttemptRow {
  attempt: number;
  attempted_at: Time;
  status: number | null;
  error: string | null;
  duration_ms: number;
  response_excerpt: string | null;
}

const ENDPOINT_COLUMNS = 'e.id, e.organization_id, e.url, e.events, e.created_at, e.created_by_name, e.secret_rotated_at';

// The secret is encrypted with the row id as context (prefixed, so a webhook secret and a refresh token can never
// stand in for each other even if ids collided) and decrypted only to sign an attempt.
const secretContext = (endpointId: string) => `webhook-endpoint:${endpointId}`;

@Injectable()
export class PostgresWebhookRepository extends WebhookRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly cipher: SecretCipher,
  ) {
    super();
  }

  async countEndpoints(organizationId: string): Promise<number> {
    const [row] = await rawSql<{ n: string }>(this.em, 'select count(*) as n from webhook_endpoints where organization_id = ?', [
      organizationId,
    ]);
    return Number(row.n);
  }

  async addEndpoint(endpoint: WebhookEndpoint, createdByUserId: string, secret: string): Promise<void> {
    await rawSql(
      this.em,
      `insert into webhook_endpoints (id, organization_id, url, events, secret_ciphertext, created_at, created_by_user_id, created_by_name, secret_rotated_at)
       values (?, ?, ?, array(select jsonb_array_elements_text(?::jsonb)), ?, ?, ?, ?, ?)`,
      [
        endpoint.id,
        endpoint.organizationId,
        endpoint.url,
        JSON.stringify(endpoint.events),
        this.cipher.encrypt(secret, secretContext(endpoint.id)),
        endpoint.createdAt,
        createdByUserId,
        endpoint.createdByName,
        endpoint.secretRotatedAt,
      ],
    );
  }

  async findEndpoint(organizationId: string, endpointId: string): Promise<WebhookEndpoint | null> {
    // Ids come from URLs: anything that is not a uuid is not found (rather than a cast error).
    if (!isGuid(endpointId)) return null;
    const [row] = await rawSql<EndpointRow>(
      this.em,
      `select ${ENDPOINT_COLUMNS} from webhook_endpoints e where e.organization_id = ? and e.id = ?`,
      [organizationId, endpointId],
    );
    return row ? endpointOf(row) : null;
  }

  async endpoints(organizationId: string): Promise<EndpointSummary[]> {
    const rows = await rawSql<
      EndpointRow & {
        last_event_type: string | null;
        last_state: DeliveryState | null;
        last_created_at: Time | null;
        last_status: number | null;
        last_error: string | null;
      }
    >(
      this.em,
      `select ${ENDPOINT_COLUMNS}, d.event_type as last_event_type, d.state as last_state, d.created_at as last_created_at, d.last_status, d.last_error
       from webhook_endpoints e
       left join lateral (
         select event_type, state, created_at, last_status, last_error from webhook_deliveries
         where organization_id = e.organization_id and endpoint_id = e.id order by created_at desc, id desc limit 1
       ) d on true
       where e.organization_id = ? order by e.created_at, e.id`,
      [organizationId],
    );
    return rows.map((row) => ({
      ...endpointOf(row),
      lastDelivery:
        row.last_state === null
          ? null
          : {
              eventType: row.last_event_type!,
              state: row.last_state,
              createdAt: sqlTime(row.last_created_at!),
              lastStatus: row.last_status,
              lastError: row.last_error,
            },
    }));
  }

  async endpointsSubscribedTo(organizationId: string, eventType: WebhookEventType): Promise<WebhookEndpoint[]> {
    const rows = await rawSql<EndpointRow>(
      this.em,
      `select ${ENDPOINT_COLUMNS} from webhook_endpoints e where e.organization_id = ? and ? = any(e.events) order by e.created_at, e.id`,
      [organizationId, eventType],
    );
    return rows.map(endpointOf);
  }

  async replaceSecret(organizationId: string, endpointId: string, secret: string, at: Date): Promise<boolean> {
    const rows = await rawSql(
      this.em,
      'update webhook_endpoints set secret_ciphertext = ?, secret_rotated_at = ? where organization_id = ? and id = ? returning id',
      [this.cipher.encrypt(secret, secretContext(endpointId)), at, organizationId, endpointId],
    );
    return rows.length > 0;
  }

  async removeEndpoint(organizationId: string, endpointId: string): Promise<boolean> {
    // Its deliveries and their attempts go with it (on delete cascade).
    const rows = await rawSql(this.em, 'delete from webhook_endpoints where organization_id = ? and id = ? returning id', [
      organizationId,
      endpointId,
    ]);
    return rows.length > 0;
  }

  async addDeliveries(deliveries: WebhookDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    await rawSql(
      this.em,
      `insert into webhook_deliveries (id, organization_id, endpoint_id, event_id, event_type, body, state, attempts, next_attempt_at, created_at, requested_by_name, redelivery_of)
       select id, organization_id, endpoint_id, event_id, event_type, body, state, attempts, next_attempt_at, created_at, requested_by_name, redelivery_of
       from jsonb_to_recordset(?::jsonb) as d(id uuid, organization_id uuid, endpoint_id uuid, event_id uuid, event_type text, body text, state text, attempts int,
         next_attempt_at timestamptz, created_at timestamptz, requested_by_name text, redelivery_of uuid)`,
      [
        JSON.stringify(
          deliveries.map((d) => ({
            id: d.id,
            organization_id: d.organizationId,
            endpoint_id: d.endpointId,
            event_id: d.eventId,
            event_type: d.eventType,
            body: d.body,
            state: d.state,
            attempts: d.attempts,
            next_attempt_at: d.nextAttemptAt?.toISOString() ?? null,
            created_at: d.createdAt.toISOString(),
            requested_by_name: d.requestedByName,
            redelivery_of: d.redeliveryOf,
          })),
        ),
      ],
    );
  }

  async findDelivery(organizationId: string, deliveryId: string): Promise<DeliveryLogEntry | null> {
    if (!isGuid(deliveryId)) return null;
    const [row] = await rawSql<DeliveryRow>(this.em, 'select * from webhook_deliveries where organization_id = ? and id = ?', [
      organizationId,
      deliveryId,
    ]);
    return row ? deliveryOf(row) : null;
  }

  async deliveries(organizationId: string, endpointId: string, limit: number): Promise<DeliveryLogEntry[]> {
    const rows = await rawSql<DeliveryRow>(
      this.em,
      'select * from webhook_deliveries where organization_id = ? and endpoint_id = ? order by created_at desc, id desc limit ?',
      [organizationId, endpointId, limit],
    );
    return rows.map(deliveryOf);
  }

  async attempts(organizationId: string, deliveryId: string): Promise<DeliveryAttempt[]> {
    const rows = await rawSql<AttemptRow>(
      this.em,
      'select * from webhook_delivery_attempts where organization_id = ? and delivery_id = ? order by attempt',
      [organizationId, deliveryId],
    );
    return rows.map((row) => ({
      attempt: row.attempt,
      attemptedAt: sqlTime(row.attempted_at),
      status: row.status,
      error: row.error,
      durationMs: row.duration_ms,
      responseExcerpt: row.response_excerpt,
    }));
  }

  async claim(organizationId: string, deliveryId: string, leaseUntil: Date, now: Date): Promise<ClaimedDelivery | null> {
    // One statement: two workers racing for the same delivery cannot both take it.
    const [row] = await rawSql<DeliveryRow & { url: string; secret_ciphertext: string }>(
      this.em,
      `update webhook_deliveries d set lease_until = ?
       from webhook_endpoints e
       where d.organization_id = ? and d.id = ? and d.state in ('pending', 'retrying') and (d.lease_until is null or d.lease_until < ?)
         and e.organization_id = d.organization_id and e.id = d.endpoint_id
       returning d.*, e.url, e.secret_ciphertext`,
      [leaseUntil, organizationId, deliveryId, now],
    );
    if (!row) return null;
    return { delivery: deliveryOf(row), url: row.url, secret: this.cipher.decrypt(row.secret_ciphertext, secretContext(row.endpoint_id)) };
  }

  async recordAttempt(
    organizationId: string,
    deliveryId: string,
    attempt: DeliveryAttempt,
    next: { state: DeliveryState; nextAttemptAt: Date | null },
  ): Promise<void> {
    // Both guarded by the delivery still existing: its webhook may have been removed while the attempt was under way.
    await rawSql(
      this.em,
      `insert into webhook_delivery_attempts (organization_id, delivery_id, attempt, attempted_at, status, error, duration_ms, response_excerpt)
       select organization_id, id, ?, ?, ?, ?, ?, ? from webhook_deliveries where organization_id = ? and id = ?
       on conflict (delivery_id, attempt) do nothing`,
      [
        attempt.attempt,
        attempt.attemptedAt,
        attempt.status,
        attempt.error,
        Math.round(attempt.durationMs),
        attempt.responseExcerpt,
        organizationId,
        deliveryId,
      ],
    );
    await rawSql(
      this.em,
      `update webhook_deliveries set state = ?, attempts = greatest(attempts, ?), next_attempt_at = ?, lease_until = null, last_attempt_at = ?, last_status = ?, last_error = ?,
         delivered_at = case when ? = 'delivered' then ?::timestamptz else delivered_at end
       where organization_id = ? and id = ?`,
      [
        next.state,
        attempt.attempt,
        next.nextAttemptAt,
        attempt.attemptedAt,
        attempt.status,
        attempt.error,
        next.state,
        attempt.attemptedAt,
        organizationId,
        deliveryId,
      ],
    );
  }

  async overdue(dueBefore: Date, now: Date, limit: number): Promise<{ organizationId: string; deliveryId: string }[]> {
    const rows = await rawSql<{ organization_id: string; id: string }>(
      this.em,
      `select organization_id, id from webhook_deliveries
       where state in ('pending', 'retrying') and next_attempt_at < ? and (lease_until is null or lease_until < ?)
       order by next_attempt_at limit ?`,
      [dueBefore, now, limit],
    );
    return rows.map((row) => ({ organizationId: row.organization_id, deliveryId: row.id }));
  }
}

function endpointOf(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    organizationId: row.organization_id,
    url: row.url,
    events: row.events,
    createdAt: sqlTime(row.created_at),
    createdByName: row.created_by_name,
    secretRotatedAt: sqlTime(row.secret_rotated_at),
  };
}

function deliveryOf(row: DeliveryRow): DeliveryLogEntry {
  return {
    id: row.id,
    organizationId: row.organization_id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type,
    body: row.body,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: sqlTime(row.next_attempt_at),
    createdAt: sqlTime(row.created_at),
    requestedByName: row.requested_by_name,
    redeliveryOf: row.redelivery_of,
    lastAttemptAt: sqlTime(row.last_attempt_at),
    lastStatus: row.last_status,
    lastError: row.last_error,
    deliveredAt: sqlTime(row.delivered_at),
  };
}
