import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { Transaction } from '../../../shared/application/transaction';
import { AuditTrail } from '../../audit';
import { connectionCredentials, connectionLabel, PSA_NAMES, type PsaConnection } from '../domain/psa-connection';
import { PsaRefusedError } from '../domain/psa-sync.errors';
import { PsaGateway } from './ports/psa-gateway.port';
import { PsaSyncRepository } from './ports/psa-sync.repository';
import { type ActingParty } from '../../../shared/application/actor';

// Connect (tested before anything is stored) and disconnect the organization's PSA. The credentials are stored
// encrypted by the repository and never returned to a page or an API answer.
@Injectable()
export class ConnectPsaUseCase {
  constructor(
    private readonly repository: PsaSyncRepository,
    private readonly gateway: PsaGateway,
    private readonly audit: AuditTrail,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  async connect(actor: ActingParty, kind: string, body: Record<string, unknown>): Promise<PsaConnection> {
    const credentials = connectionCredentials(kind, body);
    let zone: { zoneUrl?: string };
    try {
      zone = await this.gateway.test({ kind: credentials.kind, credentials });
    } catch (error) {
      if (error instanceof PsaRefusedError) {
        // A refused test is a decision's outcome too (someone tried): audited, nothing stored.
        await this.transaction.run(async () =>
          this.audit.record({
            organizationId: actor.organizationId,
            actorUserId: actor.userId,
            actorName: actor.name,
            action: 'psa-sync.connection-refused',
            subject: `${PSA_NAMES[credentials.kind]} (${connectionLabel(credentials)})`,
            outcome: 'failure',
            detail: error.message,
          }),
        );
      }
      throw error;
    }
    const stored = credentials.kind === 'autotask' && zone.zoneUrl ? { ...credentials, zoneUrl: zone.zoneUrl } : credentials;
    const connection: PsaConnection = {
      organizationId: actor.organizationId,
      kind: credentials.kind,
      label: connectionLabel(credentials),
      credentials: stored,
      connectedAt: this.clock.now(),
      connectedByName: actor.name,
    };
    return this.transaction.run(async () => {
      const previous = await this.repository.connection(actor.organizationId);
      // Another PSA (or another company of it) names other records: its mappings no longer apply.
      if (previous && (previous.kind !== connection.kind || previous.label !== connection.label))
        await this.repository.removeConnection(actor.organizationId);
      await this.repository.saveConnection(connection);
      this.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorName: actor.name,
        action: 'psa-sync.connected',
        subject: `${PSA_NAMES[connection.kind]} (${connection.label})`,
        outcome: 'success',
        detail: 'Connection tested: companies, agreements/contracts and products can be read',
      });
      return connection;
    });
  }

  async disconnect(actor: ActingParty): Promise<PsaConnection | null> {
    return this.transaction.run(async () => {
      const connection = await this.repository.connection(actor.organizationId);
      if (!connection) return null;
      await this.repository.removeConnection(actor.organizationId);
      this.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorName: actor.name,
        action: 'psa-sync.disconnected',
        subject: `${PSA_NAMES[connection.kind]} (${connection.label})`,
        outcome: 'success',
        detail: 'Credentials and mappings removed; the sync history stays',
      });
      return connection;
    });
  }

  connection(organizationId: string): Promise<PsaConnection | null> {
    return this.repository.connection(organizationId);
  }
}
