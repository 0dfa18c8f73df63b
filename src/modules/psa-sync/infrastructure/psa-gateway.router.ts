import { Injectable } from '@nestjs/common';
import { PsaGateway, type PsaAgreementState, type PsaWrite } from '../application/ports/psa-gateway.port';
import type { PsaConnection } from '../domain/psa-connection';
import type { PsaAgreement, PsaCompany, PsaProduct } from '../domain/psa-mapping';
import { AutotaskPsaGateway } from './autotask/autotask-psa.gateway';
import { ConnectWisePsaGateway } from './connectwise/connectwise-psa.gateway';

// The connection's kind picks the adapter.
@Injectable()
export class RoutingPsaGateway extends PsaGateway {
  constructor(
    private readonly connectWise: ConnectWisePsaGateway,
    private readonly autotask: AutotaskPsaGateway,
  ) {
    super();
  }

  async test(connection: Pick<PsaConnection, 'kind' | 'credentials'>): Promise<{ zoneUrl?: string }> {
    const c = connection.credentials;
    if (c.kind === 'connectwise') {
      await this.connectWise.test(c);
      return {};
    }
    return this.autotask.test(c);
  }

  companies(connection: PsaConnection): Promise<PsaCompany[]> {
    const c = connection.credentials;
    return c.kind === 'connectwise' ? this.connectWise.companies(c) : this.autotask.companies(c);
  }

  agreements(connection: PsaConnection): Promise<PsaAgreement[]> {
    const c = connection.credentials;
    return c.kind === 'connectwise' ? this.connectWise.agreements(c) : this.autotask.agreements(c);
  }

  products(connection: PsaConnection): Promise<PsaProduct[]> {
    const c = connection.credentials;
    return c.kind === 'connectwise' ? this.connectWise.products(c) : this.autotask.products(c);
  }

  agreementState(connection: PsaConnection, agreementId: string, _productIds: readonly string[], day: string): Promise<PsaAgreementState> {
    const c = connection.credentials;
    return c.kind === 'connectwise'
      ? this.connectWise.agreementState(c, agreementId, day)
      : this.autotask.agreementState(c, agreementId, day);
  }

  apply(connection: PsaConnection, agreementId: string, write: PsaWrite): Promise<string> {
    const c = connection.credentials;
    if (c.kind === 'connectwise' && write.kind === 'connectwise') return this.connectWise.apply(c, agreementId, write.write);
    if (c.kind === 'autotask' && write.kind === 'autotask') return this.autotask.apply(c, agreementId, write.write);
    throw new Error(`A ${write.kind} write cannot go to a ${c.kind} connection`);
  }
}
