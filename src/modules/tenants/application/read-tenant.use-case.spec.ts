import type { IntegrationEvent } from '../../../shared/application/integration-event';
import { EventOutbox } from '../../../shared/application/integration-event';
import { JobQueue } from '../../../shared/application/job-queue';
import { MicrosoftUnavailableError } from '../../../shared/domain/microsoft-unavailable.error';
import { FixedClock, ImmediateTransaction } from '../../../shared/testing/fakes';
import { AuditTrail, type AuditEntryInput } from '../../audit';
import {
  CustomerAppProvisioning,
  PartnerCenterDirectory,
  type AppProvisioningResult,
  type CustomerSummary,
  type DirectorySubscriptionsRead,
  type GdapAccessSnapshot,
  type TenantLicencesSnapshot,
} from '../../partner-center';
import { TENANT_LICENCES_READ, type TenantLicencesReadPayload } from '../events';
import type { CustomerAccess } from '../domain/customer-access';
import type { GdapEvaluation } from '../domain/gdap-access';
import type { ImportRun } from '../domain/import-run';
import { ImportRepository, type RunTenantStatus } from './ports/import.repository';
import { ReadTenantUseCase } from './read-tenant.use-case';
import { TenantQueries, type CustomerDetail } from './tenant-queries';

const ORG = 'org-1';
const TENANT = 'cccccccc-0000-0000-0000-000000000001';
const NOW = new Date('2026-12-07T04:00:00Z');
const SKU = {
  skuId: 'sku-1',
  skuPartNumber: 'SPB',
  productName: null,
  capabilityStatus: 'Enabled',
  activeUnits: 10,
  warningUnits: 0,
  suspendedUnits: 0,
  consumedUnits: 4,
};

// Directory reads answer in turn (the last answer repeats); Partner Center's licences are always there.
class ScriptedDirectory extends PartnerCenterDirectory {
  reads = 0;
  constructor(private readonly answers: DirectorySubscriptionsRead[]) {
    super();
  }
  // eslint-disable-next-line require-yield -- never called: this fake reads one tenant
  async *customerPages(): AsyncIterable<CustomerSummary[]> {
    throw new Error('not used');
  }
  async tenantLicences(): Promise<TenantLicencesSnapshot> {
    const directory = this.answers[Math.min(this.reads, this.answers.length - 1)];
    this.reads += 1;
    return { licences: { skus: [SKU] }, subscriptions: [], directory };
  }
  async gdapAccess(): Promise<GdapAccessSnapshot> {
    return { relationships: [], assignments: [], serviceAccountGroupIds: [] };
  }
}

class ScriptedProvisioning extends CustomerAppProvisioning {
  calls = 0;
  constructor(private readonly result: AppProvisioningResult | Error) {
    super();
  }
  async provision(): Promise<AppProvisioningResult> {
    this.calls += 1;
    if (this.result instanceof Error) throw this.result;
    return this.result;
  }
}

// Tells whether work runs inside `run`, so a test can check what is written together.
class TrackedTransaction extends ImmediateTransaction {
  active = false;
  override async run<T>(work: () => Promise<T>): Promise<T> {
    this.active = true;
    try {
      return await work();
    } finally {
      this.active = false;
    }
  }
}

// Only what one tenant read touches; the rest is never called. Like the store, a read is recorded with its event (the
// events here are the ones its outbox row would carry) only while the tenant is pending.
class RecordingImports extends ImportRepository {
  access: CustomerAccess | undefined;
  readonly events: IntegrationEvent<object>[] = [];
  recordedInTransaction: boolean | undefined;
  constructor(private readonly transaction?: TrackedTransaction) {
    super();
  }
  readonly run: ImportRun = {
    id: 'run-1',
    organizationId: ORG,
    delegatedAdminId: 'admin-1',
    trigger: 'manual',
    status: 'reading',
    total: 1,
    done: 0,
    failed: 0,
    error: null,
    startedAt: NOW,
    listedAt: NOW,
    finishedAt: null,
  };
  status: RunTenantStatus = 'pending';
  async findRun() {
    return this.run;
  }
  async runTenantStatus() {
    return this.status;
  }
  async recordRead(
    _runId: string,
    _organizationId: string,
    _tenantId: string,
    _gdap: GdapEvaluation | null,
    access: CustomerAccess,
    _now: Date,
    event: IntegrationEvent<object>,
  ) {
    if (this.status !== 'pending') return false;
    this.status = 'recording';
    this.access = access;
    this.events.push(event);
    this.recordedInTransaction = this.transaction?.active;
    return true;
  }
  createRun = notUsed;
  findUnfinishedRun = notUsed;
  latestRuns = notUsed;
  staleRuns = notUsed;
  heartbeat = notUsed;
  recordListedCustomers = notUsed;
  finishListing = notUsed;
  failRun = notUsed;
  pendingTenants = notUsed;
  markFailed = notUsed;
  finishedRunReport = notUsed;
  retryTenant = notUsed;
  recordTotalsAndMarkDone = notUsed;
  latestRunOfTenant = notUsed;
}

function notUsed(): never {
  throw new Error('not used');
}

class Outbox extends EventOutbox {
  readonly events: IntegrationEvent<object>[] = [];
  publish(event: IntegrationEvent<object>): void {
    this.events.push(event);
  }
}

class Audit extends AuditTrail {
  readonly entries: AuditEntryInput[] = [];
  readonly inTransaction: boolean[] = [];
  constructor(private readonly transaction?: TrackedTransaction) {
    super();
  }
  record(entry: AuditEntryInput): void {
    this.entries.push(entry);
    this.inTransaction.push(this.transaction?.active ?? false);
  }
}

class NoJobs extends JobQueue {
  enqueue = notUsed;
  enqueueMany = notUsed;
  hasUnfinished = notUsed;
}

class OneTenant extends TenantQueries {
  async detail(): Promise<CustomerDetail> {
    return { companyName: 'Munson’s Pickles' } as CustomerDetail;
  }
  list = notUsed;
  page = notUsed;
  progress = notUsed;
  failedTenants = notUsed;
  summary = notUsed;
  all = notUsed;
}

const APP_MISSING: DirectorySubscriptionsRead = {
  unreadable: 'Sync 365 is not set up in this customer yet (AADSTS65001).',
  refusedBy: 'app_not_provisioned',
};
const READ: DirectorySubscriptionsRead = { subscriptions: [] };

async function readOnce(answers: DirectorySubscriptionsRead[], result: AppProvisioningResult | Error, status: RunTenantStatus = 'pending') {
  const directory = new ScriptedDirectory(answers);
  const provisioning = new ScriptedProvisioning(result);
  const transaction = new TrackedTransaction();
  const imports = new RecordingImports(transaction);
  imports.status = status;
  // The tenant was pending when this read began; with another status, another read recorded it meanwhile.
  imports.runTenantStatus = async () => 'pending';
  const outbox = new Outbox();
  const audit = new Audit(transaction);
  const useCase = new ReadTenantUseCase(
    directory,
    imports,
    outbox,
    new NoJobs(),
    transaction,
    new FixedClock(NOW),
    provisioning,
    audit,
    new OneTenant(),
  );
  await useCase.execute({ organizationId: ORG, runId: 'run-1', tenantId: TENANT });
  // The read's event is published only with the read, never on its own.
  expect(outbox.events).toEqual([]);
  const published = imports.events.find((event) => event.name === TENANT_LICENCES_READ)?.payload as TenantLicencesReadPayload;
  return { directory, provisioning, imports, access: imports.access, published, audit };
}

describe('reading a tenant where the Sync 365 app is missing', () => {
  it('provisions it, reads again, records "provisioned" with the time and audits the change', async () => {
    const { directory, provisioning, imports, access, published, audit } = await readOnce([APP_MISSING, READ], { outcome: 'provisioned' });

    expect(provisioning.calls).toBe(1);
    expect(directory.reads).toBe(2);
    expect(access).toEqual({ app: 'provisioned', provisionedAt: NOW, problem: null, problemKind: null });
    expect(published.directory).toEqual(READ);
    expect(audit.entries).toEqual([
      expect.objectContaining({ action: 'tenants.app-provisioned', subject: 'Munson’s Pickles', actorUserId: null, outcome: 'success' }),
    ]);
    // The read, its event and the audit entry commit together.
    expect(imports.recordedInTransaction).toBe(true);
    expect(audit.inTransaction).toEqual([true]);
  });

  it('says so when Microsoft does not let Sync 365 in yet right after provisioning (propagation)', async () => {
    const { access, published } = await readOnce([APP_MISSING], { outcome: 'provisioned' });

    expect(access).toMatchObject({
      app: 'provisioned',
      provisionedAt: NOW,
      problemKind: 'app_not_provisioned',
      problem: expect.stringMatching(/added to this customer just now.*read again at the next import/),
    });
    expect(published.directory).toEqual({ unreadable: access?.problem, refusedBy: 'app_not_provisioned' });
    expect(published.skus).toEqual([SKU]);
  });

  it('records "present" when Partner Center says the app is already there and the re-read works, without auditing', async () => {
    const { imports, access, published, audit } = await readOnce([APP_MISSING, READ], { outcome: 'already_present' });

    expect(access).toEqual({ app: 'present', provisionedAt: null, problem: null, problemKind: null });
    expect(audit.entries).toEqual([]);
    // Nothing to audit: the read and its event are recorded at once, without a transaction around them.
    expect(imports.events).toHaveLength(1);
    expect(published).toMatchObject({ importRunId: 'run-1', delegatedAdminId: 'admin-1', tenantId: TENANT, readAt: NOW.toISOString() });
    expect(imports.recordedInTransaction).toBe(false);
  });

  it('keeps Partner Center’s licences and records "missing" with Partner Center’s reason when it refuses', async () => {
    const reason = 'Sync 365 is not set up in this customer yet: Partner Center refused to add it … Application Administrator …';
    const { directory, access, published } = await readOnce([APP_MISSING], { outcome: 'refused', reason });

    expect(directory.reads).toBe(1);
    expect(access).toEqual({ app: 'missing', provisionedAt: null, problem: reason, problemKind: 'app_not_provisioned' });
    expect(published.skus).toEqual([SKU]);
    expect(published.directory).toEqual({ unreadable: reason, refusedBy: 'app_not_provisioned' });
  });

  it('keeps the licences and says it will try again when Partner Center is unavailable', async () => {
    const unavailable = new MicrosoftUnavailableError('Partner Center', 'HTTP 503');
    const { access, published } = await readOnce([APP_MISSING], unavailable);

    expect(access).toMatchObject({
      app: 'missing',
      problemKind: 'app_not_provisioned',
      problem: expect.stringMatching(
        /adding it through Partner Center failed: Partner Center did not answer as expected \(HTTP 503\).*tried again at the next import/,
      ),
    });
    expect(published.skus).toEqual([SKU]);
  });
});

describe('reading a tenant Microsoft refuses for another reason', () => {
  it('marks a Conditional Access refusal on the tenant without trying to provision anything', async () => {
    const refused: DirectorySubscriptionsRead = {
      unreadable: 'This customer’s Conditional Access policy blocks sign-ins… (AADSTS53003).',
      refusedBy: 'conditional_access',
    };
    const { provisioning, access } = await readOnce([refused], { outcome: 'provisioned' });

    expect(provisioning.calls).toBe(0);
    expect(access).toEqual({ app: null, provisionedAt: null, problem: refused.unreadable, problemKind: 'conditional_access' });
  });

  it('leaves the app unknown without GDAP, and "present" when a token was issued but the read was refused', async () => {
    expect((await readOnce([{ unreadable: 'No GDAP (AADSTS50020).', refusedBy: 'no_gdap' }], { outcome: 'provisioned' })).access).toEqual({
      app: null,
      provisionedAt: null,
      problem: null,
      problemKind: null,
    });
    expect((await readOnce([{ unreadable: 'Graph 403.' }], { outcome: 'provisioned' })).access).toEqual({
      app: 'present',
      provisionedAt: null,
      problem: null,
      problemKind: null,
    });
  });
});

// Partner Center throttles every read of the tenant.
class ThrottledDirectory extends ScriptedDirectory {
  constructor() {
    super([READ]);
  }
  override async tenantLicences(): Promise<TenantLicencesSnapshot> {
    throw new MicrosoftUnavailableError('Partner Center', 'throttled: asked to wait 30 s', { retryAfterSeconds: 30 });
  }
}

class QueuedJobs extends JobQueue {
  readonly queued: { data: object; startAfterSeconds?: number }[] = [];
  async enqueue(_queue: string, data: object, options: { startAfterSeconds?: number } = {}) {
    this.queued.push({ data, startAfterSeconds: options.startAfterSeconds });
    return 'job';
  }
  enqueueMany = notUsed;
  hasUnfinished = notUsed;
}

class FailingImports extends RecordingImports {
  failedWith: string | undefined;
  constructor() {
    super();
    (this as ImportRepository).markFailed = async (_organizationId: string, _runId: string, _tenantId: string, reason: string) => {
      this.failedWith = reason;
      return false;
    };
  }
}

describe('reading a tenant Microsoft throttles', () => {
  const read = (imports: RecordingImports, jobs: QueuedJobs, job: { throttledSince?: string; attempt?: number } = {}) =>
    new ReadTenantUseCase(
      new ThrottledDirectory(),
      imports,
      new Outbox(),
      jobs,
      new ImmediateTransaction(),
      new FixedClock(NOW),
      new ScriptedProvisioning(new Error('not used')),
      new Audit(),
      new OneTenant(),
    ).execute({
      organizationId: ORG,
      runId: 'run-1',
      tenantId: TENANT,
      ...job,
    });

  it('waits Microsoft’s Retry-After and reads again, however often, without counting it as a failed attempt', async () => {
    const jobs = new QueuedJobs();
    await read(new FailingImports(), jobs, { attempt: 3, throttledSince: new Date(NOW.getTime() - 60 * 60 * 1000).toISOString() });
    expect(jobs.queued).toEqual([
      {
        data: expect.objectContaining({ attempt: 3, throttledSince: new Date(NOW.getTime() - 60 * 60 * 1000).toISOString() }),
        startAfterSeconds: 30,
      },
    ]);
  });

  it('remembers when the throttling began, and leaves the tenant for the next import after four hours of it, saying why', async () => {
    const first = new QueuedJobs();
    await read(new FailingImports(), first);
    expect(first.queued[0].data).toMatchObject({ throttledSince: NOW.toISOString() });

    const imports = new FailingImports();
    const jobs = new QueuedJobs();
    await read(imports, jobs, { throttledSince: new Date(NOW.getTime() - 4 * 60 * 60 * 1000).toISOString() });
    expect(jobs.queued).toEqual([]);
    expect(imports.failedWith).toMatch(/^Microsoft kept asking Sync 365 to wait \(throttling\) for more than 4 hours/);
  });
});

describe('a tenant read twice (a job taken for dead while it was still reading)', () => {
  it('records and publishes only the first read to finish', async () => {
    const { imports, access } = await readOnce([READ], new Error('not used'), 'recording');

    expect(access).toBeUndefined();
    expect(imports.events).toEqual([]);
  });

  it('audits a provisioning only with the read that recorded it', async () => {
    const { provisioning, imports, audit } = await readOnce([APP_MISSING, READ], { outcome: 'provisioned' }, 'recording');

    expect(provisioning.calls).toBe(1);
    expect(imports.events).toEqual([]);
    expect(audit.entries).toEqual([]);
  });
});
