import type { AppRegistration, Scenario, Tenant, User } from '../scenario/scenario';
import { IdentityState, type PersistedIdentityState } from '../identity/identity-state';
import type { SigningKey } from '../identity/signing-key';
import { readStateFile, writeStateFile } from './state-file';

export interface EmulatorStateOptions {
  scenario: Scenario;
  apps: AppRegistration[];
  signingKey: SigningKey;
  dataDir?: string;
  now: () => number;
  refreshTokenInactivitySeconds: number;
}

interface PersistedState {
  version: 1;
  clockOffsetMs: number;
  identity: PersistedIdentityState;
}

// The one object every emulator area reads and changes. Each area keeps its own part
// (`identity` today; Partner Center and Graph data later) so areas stay independent.
export class EmulatorState {
  baseUrl = '';
  scenario: Scenario;
  readonly apps: AppRegistration[];
  readonly signingKey: SigningKey;
  readonly refreshTokenInactivityMs: number;
  readonly identity = new IdentityState();
  readonly requestCounts = new Map<string, number>();
  private clockOffsetMs = 0;

  constructor(private readonly options: EmulatorStateOptions) {
    this.scenario = structuredClone(options.scenario);
    this.apps = options.apps;
    this.signingKey = options.signingKey;
    this.refreshTokenInactivityMs = options.refreshTokenInactivitySeconds * 1000;
    const persisted = options.dataDir ? readStateFile<PersistedState>(options.dataDir) : undefined;
    if (persisted) {
      this.clockOffsetMs = persisted.clockOffsetMs ?? 0;
      this.identity.restore(persisted.identity);
    }
  }

  now(): number {
    return this.options.now() + this.clockOffsetMs;
  }

  advanceClock(seconds: number): void {
    this.clockOffsetMs += seconds * 1000;
    this.persist();
  }

  reset(): void {
    this.scenario = structuredClone(this.options.scenario);
    this.identity.clear();
    this.requestCounts.clear();
    this.clockOffsetMs = 0;
    this.persist();
  }

  persist(): void {
    if (!this.options.dataDir) return;
    const state: PersistedState = { version: 1, clockOffsetMs: this.clockOffsetMs, identity: this.identity.toPersisted() };
    writeStateFile(this.options.dataDir, state);
  }

  findApp(clientId: string): AppRegistration | undefined {
    return this.apps.find((app) => app.clientId.toLowerCase() === clientId.toLowerCase());
  }

  findTenantById(id: string): Tenant | undefined {
    return this.scenario.tenants.find((tenant) => tenant.id.toLowerCase() === id.toLowerCase());
  }

  findUserById(id: string): User | undefined {
    return this.scenario.users.find((user) => user.id === id);
  }

  findUserByUpn(upn: string): User | undefined {
    return this.scenario.users.find((user) => user.userPrincipalName.toLowerCase() === upn.trim().toLowerCase());
  }
}
