import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  ConnectWiseApiError,
  ConnectWisePsaClient,
  cw,
  toConnectWiseDate,
  type ConnectWiseAddition as WireAddition,
} from '../../../../../libs/connectwise-psa/src';
import type { PsaAgreementState } from '../../application/ports/psa-gateway.port';
import type { ConnectWiseSecrets } from '../../domain/psa-connection';
import type { PsaAgreement, PsaCompany, PsaProduct } from '../../domain/psa-mapping';
import { PsaRefusedError, RetryablePsaError } from '../../domain/psa-sync.errors';
import type { ConnectWiseAddition, ConnectWiseWrite } from '../../domain/psa-write-plan';
import { monthOf } from '../psa-period';

// ConnectWise PSA behind the PsaGateway (the anti-corruption layer): wire types end here.
@Injectable()
export class ConnectWisePsaGateway {
  // One client per credentials (discovery of the codebase happens once per process).
  private readonly clients = new Map<string, Promise<ConnectWisePsaClient>>();

  async test(credentials: ConnectWiseSecrets): Promise<void> {
    this.clients.delete(fingerprint(credentials));
    const client = await this.client(credentials);
    await translate(() => client.checkAccess());
  }

  async companies(credentials: ConnectWiseSecrets): Promise<PsaCompany[]> {
    const client = await this.client(credentials);
    const companies = await translate(() =>
      client.listCompanies({ conditions: cw.eq('deletedFlag', false), fields: ['id', 'identifier', 'name', 'website'] }).all(),
    );
    return companies.map((c) => ({ id: String(c.id), name: c.name, identifier: c.identifier ?? '', website: c.website ?? '' }));
  }

  async agreements(credentials: ConnectWiseSecrets): Promise<PsaAgreement[]> {
    const client = await this.client(credentials);
    const agreements = await translate(() => client.listAgreements({ conditions: cw.eq('agreementStatus', 'Active') }).all());
    return agreements.map((a) => ({ id: String(a.id), companyId: String(a.company.id), name: a.name }));
  }

  async products(credentials: ConnectWiseSecrets): Promise<PsaProduct[]> {
    const client = await this.client(credentials);
    const items = await translate(() => client.listCatalogItems({ conditions: cw.eq('inactiveFlag', false) }).all());
    return items
      .map((i) => ({ id: String(i.id), code: i.identifier, name: i.description || i.identifier }))
      .sort((a, b) => a.code.localeCompare(b.code));
  }

  async agreementState(credentials: ConnectWiseSecrets, agreementId: string, day: string): Promise<PsaAgreementState> {
    const client = await this.client(credentials);
    const id = Number(agreementId);
    const agreement = await translate(() => client.getAgreement(id));
    const additions = await translate(() => client.listAdditions(id).all());
    return { kind: 'connectwise', additions: additions.map(additionOf), period: monthOf(day), prorates: agreement.prorateFlag === true };
  }

  async apply(credentials: ConnectWiseSecrets, agreementId: string, write: ConnectWiseWrite): Promise<string> {
    const client = await this.client(credentials);
    const id = Number(agreementId);
    switch (write.kind) {
      case 'create-addition': {
        const created = await translate(() =>
          client.createAddition(id, {
            product: { id: Number(write.productId) },
            billCustomer: 'Billable',
            quantity: write.quantity,
            unitPrice: Number(write.unitPrice),
            effectiveDate: toConnectWiseDate(write.effectiveDate),
            invoiceDescription: write.description,
          }),
        );
        return `Addition ${created.id} created (${created.quantity ?? write.quantity})`;
      }
      case 'add-prorate-delta': {
        const created = await translate(() =>
          client.createAddition(id, {
            product: { id: Number(write.productId) },
            billCustomer: 'Billable',
            quantity: write.quantity,
            unitPrice: Number(write.unitPrice),
            effectiveDate: toConnectWiseDate(write.effectiveDate),
            cancelledDate: toConnectWiseDate(write.cancelledDate),
            serialNumber: write.serialNumber,
            invoiceDescription: write.description,
          }),
        );
        return `Prorated addition ${created.id} created${created.extendedProratePrice !== undefined ? ` (prorate ${created.extendedProratePrice.toFixed(2)})` : ''}`;
      }
      case 'change-addition': {
        const operations = [
          ...(write.quantity !== undefined ? [{ op: 'replace' as const, path: 'quantity', value: write.quantity }] : []),
          ...(write.unitPrice !== undefined ? [{ op: 'replace' as const, path: 'unitPrice', value: Number(write.unitPrice) }] : []),
        ];
        const changed = await translate(() => client.patchAddition(id, write.additionId, operations));
        return `Addition ${changed.id} now ${changed.quantity ?? ''} at ${changed.unitPrice ?? ''}`.trim();
      }
      case 'cancel-addition': {
        const cancelled = await translate(() => client.cancelAddition(id, write.additionId, write.cancelledDate));
        return `Addition ${cancelled.id} cancelled on ${write.cancelledDate}`;
      }
    }
  }

  private client(credentials: ConnectWiseSecrets): Promise<ConnectWisePsaClient> {
    const key = fingerprint(credentials);
    let client = this.clients.get(key);
    if (!client) {
      const { siteUrl, companyId, publicKey, privateKey, clientId } = credentials;
      client = translate(() => ConnectWisePsaClient.connect({ siteUrl, credentials: { companyId, publicKey, privateKey, clientId } }));
      client.catch(() => this.clients.delete(key));
      this.clients.set(key, client);
    }
    return client;
  }
}

function fingerprint(credentials: ConnectWiseSecrets): string {
  return createHash('sha256').update(JSON.stringify(credentials)).digest('hex');
}

function additionOf(a: WireAddition): ConnectWiseAddition {
  return {
    id: a.id,
    productId: String(a.product.id),
    quantity: a.quantity ?? 0,
    unitPrice: String(a.unitPrice ?? 0),
    effectiveDate: a.effectiveDate ?? null,
    cancelledDate: a.cancelledDate ?? null,
    serialNumber: a.serialNumber ?? null,
    lastUpdated: a._info?.lastUpdated ?? null,
  };
}

// ConnectWise's errors in a partner's words; rate limits, outages and the network are tried again by the job.
async function translate<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof ConnectWiseApiError)) throw error;
    const said = error.psaMessage ? ` ConnectWise said: “${error.psaMessage}”.` : '';
    switch (error.kind) {
      case 'authentication':
        throw new PsaRefusedError(`ConnectWise did not accept the company ID, keys or client ID.${said}`, error.fix, 'privateKey');
      case 'forbidden':
        throw new PsaRefusedError(
          `The API member may not read or change everything the sync needs.${said}`,
          'In ConnectWise, give the API member’s security role Companies, Finance → Agreements and Procurement → Product Catalog (inquire and edit), then try again.',
        );
      case 'network':
        throw new RetryablePsaError('ConnectWise could not be reached.', error.fix, 'siteUrl');
      case 'rate-limited':
      case 'server':
        throw new RetryablePsaError(`ConnectWise is not answering normally (${error.status}).${said}`, error.fix);
      default:
        throw new PsaRefusedError(`ConnectWise refused: ${error.psaMessage ?? error.message}.`, error.fix);
    }
  }
}
