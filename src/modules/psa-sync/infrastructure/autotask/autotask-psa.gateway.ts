import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AutotaskApiError, AutotaskClient, AutotaskThresholdLimiter } from '../../../../../libs/autotask/src';
import type { PsaAgreementState } from '../../application/ports/psa-gateway.port';
import type { AutotaskSecrets } from '../../domain/psa-connection';
import type { PsaAgreement, PsaCompany, PsaProduct } from '../../domain/psa-mapping';
import { PsaRefusedError, RetryablePsaError } from '../../domain/psa-sync.errors';
import type { AutotaskContractService, AutotaskWrite } from '../../domain/psa-write-plan';
import { monthOf } from '../psa-period';

const ANY = [{ op: 'gte' as const, field: 'id', value: 0 }];

// Autotask behind the PsaGateway (the anti-corruption layer): wire types end here. One client and one threshold
// limiter per Autotask database (per API credentials here), shared by every sync of the process, so the 10,000
// requests an hour are counted together.
@Injectable()
export class AutotaskPsaGateway {
  private readonly clients = new Map<string, AutotaskClient>();

  // Discovers the zone, then counts companies, contracts and services: each area the sync needs, so a missing
  // permission or a wrong secret is named at once.
  async test(credentials: AutotaskSecrets): Promise<{ zoneUrl: string }> {
    const { zone, client } = await translate(() =>
      AutotaskClient.connect({
        credentials: wire(credentials),
        discoveryUrl: credentials.discoveryUrl || undefined,
        limiter: new AutotaskThresholdLimiter(),
      }),
    );
    await translate(() => client.count('Companies', ANY));
    await translate(() => client.count('Contracts', ANY));
    await translate(() => client.count('Services', ANY));
    this.clients.set(fingerprint({ ...credentials, zoneUrl: zone.url }), client);
    return { zoneUrl: zone.url.replace(/\/+$/, '') };
  }

  async companies(credentials: AutotaskSecrets): Promise<PsaCompany[]> {
    const companies = await translate(() => this.client(credentials).findCompanies().all());
    return companies.map((c) => ({
      id: String(c.id),
      name: c.companyName,
      identifier: c.companyNumber ?? '',
      website: c.webAddress ?? '',
    }));
  }

  async agreements(credentials: AutotaskSecrets): Promise<PsaAgreement[]> {
    const contracts = await translate(() => this.client(credentials).findContracts().all());
    return contracts.map((c) => ({ id: String(c.id), companyId: String(c.companyID), name: c.contractName }));
  }

  async products(credentials: AutotaskSecrets): Promise<PsaProduct[]> {
    const services = await translate(() => this.client(credentials).findServices().all());
    return services.map((s) => ({ id: String(s.id), code: s.name, name: s.name })).sort((a, b) => a.name.localeCompare(b.name));
  }

  // The contract's services and the units in force on the day (ContractServiceUnits, split at each adjustment).
  async agreementState(credentials: AutotaskSecrets, contractId: string, day: string): Promise<PsaAgreementState> {
    const client = this.client(credentials);
    const id = Number(contractId);
    // Two reads a customer (the hourly threshold is shared by every integration): a contract that is gone shows as
    // no services, and Autotask then refuses the adjustment with its own message.
    const [services, units] = await Promise.all([
      translate(() => client.listContractServices([id]).all()),
      translate(() => client.listContractServiceUnits([id], { on: day }).all()),
    ]);
    const mapped: AutotaskContractService[] = services.map((s) => ({
      contractServiceId: s.id,
      serviceId: String(s.serviceID),
      units: units.filter((u) => u.contractServiceID === s.id).reduce((n, u) => n + u.units, 0),
      unitPrice: String(s.adjustedPrice ?? s.unitPrice ?? 0),
    }));
    // Autotask prorates by the effective date by default (FACTS §2 "Prorate"); the partner's off switch is not
    // offered yet, so every change is dated on the change day.
    return { kind: 'autotask', services: mapped, period: monthOf(day), prorates: true };
  }

  async apply(credentials: AutotaskSecrets, contractId: string, write: AutotaskWrite): Promise<string> {
    const itemId = await translate(() =>
      this.client(credentials).createContractServiceAdjustment({
        contractID: Number(contractId),
        serviceID: Number(write.serviceId),
        ...(write.contractServiceId !== null ? { contractServiceID: write.contractServiceId } : {}),
        effectiveDate: write.effectiveDate,
        unitChange: write.unitChange,
        adjustedUnitPrice: Number(write.adjustedUnitPrice),
      }),
    );
    return `Adjustment ${itemId} created (${write.unitChange > 0 ? '+' : ''}${write.unitChange} from ${write.effectiveDate})`;
  }

  private client(credentials: AutotaskSecrets): AutotaskClient {
    const key = fingerprint(credentials);
    let client = this.clients.get(key);
    if (!client) {
      if (!credentials.zoneUrl)
        throw new PsaRefusedError('The Autotask connection has no zone.', 'Connect Autotask again in Settings → Billing → PSA.');
      client = new AutotaskClient({
        baseUrl: credentials.zoneUrl,
        credentials: wire(credentials),
        limiter: new AutotaskThresholdLimiter(),
      });
      this.clients.set(key, client);
    }
    return client;
  }
}

function wire(credentials: AutotaskSecrets) {
  return { integrationCode: credentials.integrationCode, userName: credentials.userName, secret: credentials.secret };
}

function fingerprint(credentials: AutotaskSecrets): string {
  const { userName, secret, integrationCode, zoneUrl } = credentials;
  return createHash('sha256')
    .update(JSON.stringify([userName, secret, integrationCode, (zoneUrl ?? '').replace(/\/+$/, '')]))
    .digest('hex');
}

async function translate<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof AutotaskApiError)) throw error;
    const said = error.autotaskMessages.length ? ` Autotask said: “${error.autotaskMessages.join(' ')}”.` : '';
    switch (error.kind) {
      case 'authentication':
        throw new PsaRefusedError(`Autotask did not accept the API user or secret.${said}`, error.fix, 'secret');
      case 'permission':
        throw new PsaRefusedError(
          `The API user may not read or change everything the sync needs.${said}`,
          'Give the API user the security level "API User (system)" with access to Contracts and Services, then try again.',
        );
      case 'network':
      case 'timeout':
        throw new RetryablePsaError('Autotask could not be reached.', error.fix, 'discoveryUrl');
      case 'throttled':
      case 'server':
      case 'malformed_response':
        throw new RetryablePsaError(`Autotask is not answering normally (${error.status || error.kind}).${said}`, error.fix);
      default:
        throw new PsaRefusedError(`Autotask refused: ${error.autotaskMessage || error.message}.`, error.fix);
    }
  }
}
