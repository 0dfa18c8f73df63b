import express, { type Request, type Response, type Router } from 'express';
import { apiPath, entityOfPath, requireWrite } from '../http/api-hooks';
import { sendErrors, sendNoRoute } from '../http/autotask-errors';
import { ENTITY_FIELDS, type AutotaskState, type EntityName, type WireRecord } from '../state/autotask-state';
import { parseDay, toWireDate } from '../state/dates';

type Registrar = Pick<Router, 'get' | 'post' | 'put' | 'patch' | 'delete'>;

// Writes the billing sync uses, each recorded in the journal with its answer:
// - POST /ContractServiceAdjustments and /Contracts/{id}/ServiceAdjustments: create-only [ATCSA];
// - POST/PATCH /Contracts/{id}/Services: ContractServices through their contract [ATURL];
// - POST/PATCH /Companies, /Contracts, /Services [ATSW].
// Create answers {"itemId": n} (as Autotask does, e.g. WYRE-AI/msp-claude-plugins#32); a refusal answers
// settings.validationStatus with {"errors":[…]}.
export function registerWriteRoutes(router: Registrar, state: AutotaskState): void {
  const json = express.json({ type: () => true });
  const write = requireWrite(state);

  router.post('/V1.0/ContractServiceAdjustments', json, write, (req, res) =>
    journaled(state, req, res, () => createAdjustment(state, lower(req.body))),
  );
  router.post('/V1.0/Contracts/:id/ServiceAdjustments', json, write, (req, res) =>
    journaled(state, req, res, () =>
      createAdjustment(
        state,
        { ...lower(req.body), contractid: lower(req.body).contractid ?? Number(req.params.id) },
        Number(req.params.id),
      ),
    ),
  );
  router.post('/V1.0/Contracts/:id/Services', json, write, (req, res) =>
    journaled(state, req, res, () => createContractService(state, Number(req.params.id), lower(req.body))),
  );
  router.patch('/V1.0/Contracts/:id/Services', json, write, (req, res) =>
    journaled(state, req, res, () => patchRecord(state, 'ContractServices', lower(req.body), Number(req.params.id))),
  );
  for (const entity of ['Companies', 'Contracts', 'Services'] as const) {
    router.post(`/V1.0/${entity}`, json, write, (req, res) =>
      journaled(state, req, res, () => createRecord(state, entity, lower(req.body))),
    );
    router.patch(`/V1.0/${entity}`, json, write, (req, res) =>
      journaled(state, req, res, () => patchRecord(state, entity, lower(req.body))),
    );
  }
  // Entities (and verbs) Autotask does not let anyone write.
  for (const path of ['/V1.0/ContractServiceUnits', '/V1.0/ContractServiceAdjustments', '/V1.0/ContractServices', '/V1.0/:entity/:id']) {
    for (const method of ['put', 'patch', 'delete', 'post'] as const) {
      if (method === 'post' && path === '/V1.0/ContractServiceAdjustments') continue;
      router[method](path, (req: Request, res: Response) => {
        state.record({
          method: req.method,
          path: apiPath(req),
          entity: entityOfPath(apiPath(req)),
          userName: req.apiUser?.userName ?? '',
          status: 405,
          body: undefined,
        });
        sendNoRoute(res, req.method, req.originalUrl, true);
      });
    }
  }
}

type Outcome = { ok: true; itemId: number } | { ok: false; errors: string[]; status?: number };

function journaled(state: AutotaskState, req: Request, res: Response, act: () => Outcome): void {
  const outcome = act();
  const status = outcome.ok ? 200 : (outcome.status ?? state.settings.validationStatus);
  state.record({
    method: req.method,
    path: apiPath(req),
    entity: entityOfPath(apiPath(req)),
    userName: req.apiUser?.userName ?? '',
    status,
    body: req.body,
    ...(outcome.ok ? { itemId: outcome.itemId } : { errors: outcome.errors }),
  });
  if (outcome.ok) res.status(200).json({ itemId: outcome.itemId });
  else sendErrors(res, status, ...outcome.errors);
}

// Autotask binds JSON names case-insensitively (ASP.NET); so does the emulator.
function lower(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  return Object.fromEntries(Object.entries(body).map(([key, value]) => [key.toLowerCase(), value]));
}

function wholeNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value)
    ? value
    : typeof value === 'string' && /^-?\d+$/.test(value)
      ? Number(value)
      : undefined;
}

function createAdjustment(state: AutotaskState, body: Record<string, unknown>, pathContractId?: number): Outcome {
  const errors: string[] = [];
  for (const field of ['contractID', 'serviceID', 'effectiveDate', 'unitChange'])
    if (body[field.toLowerCase()] === undefined || body[field.toLowerCase()] === null) errors.push(`Missing required field: ${field}.`);
  if (errors.length > 0) return { ok: false, errors };
  const contractId = wholeNumber(body.contractid);
  if (pathContractId !== undefined && contractId !== pathContractId)
    return { ok: false, errors: [`contractID ${String(body.contractid)} does not match the contract ${pathContractId} in the URL.`] };
  const contract = contractId === undefined ? undefined : state.find('Contracts', contractId);
  if (!contract) return { ok: false, errors: [`contractID: no contract with id ${String(body.contractid)}.`] };
  if (contract.contractType !== 7) return { ok: false, errors: ['Service adjustments can only be made on Recurring Service contracts.'] };
  const serviceId = wholeNumber(body.serviceid);
  const service = serviceId === undefined ? undefined : state.find('Services', serviceId);
  if (!service) return { ok: false, errors: [`serviceID: no service with id ${String(body.serviceid)}.`] };
  if (service.isActive === false) return { ok: false, errors: [`serviceID: the service "${String(service.name)}" is inactive.`] };
  const unitChange = wholeNumber(body.unitchange);
  if (unitChange === undefined || unitChange === 0 || Math.abs(unitChange) > 2_147_483_647)
    return { ok: false, errors: ['unitChange must be a non-zero whole number of units.'] };
  const day = parseDay(body.effectivedate);
  if (!day) return { ok: false, errors: [`effectiveDate "${String(body.effectivedate)}" is not a date.`] };
  const start = parseDay(contract.startDate)!;
  const end = parseDay(contract.endDate)!;
  if (day < start || day > end)
    return { ok: false, errors: [`effectiveDate ${day} is outside the contract's dates (${start} to ${end}).`] };
  const period = state.periodContaining(contract, day);
  if (period && state.isPosted(contract.id, period.start))
    return {
      ok: false,
      errors: [
        `effectiveDate ${day} falls in a billing period that has already been approved and posted (${period.start} to ${period.end}).`,
      ],
    };

  let contractService = state.rows('ContractServices').find((row) => row.contractID === contract.id && row.serviceID === service.id);
  if (body.contractserviceid !== undefined && body.contractserviceid !== null) {
    const wanted = wholeNumber(body.contractserviceid);
    if (!contractService || contractService.id !== wanted)
      return {
        ok: false,
        errors: [`contractServiceID ${String(body.contractserviceid)} is not the service ${service.id} on contract ${contract.id}.`],
      };
  }
  // Units must never fall below zero, on the effective date or after it.
  const current = contractService ? state.unitsOn(contractService.id, day) : 0;
  const laterDays = contractService
    ? state
        .adjustmentsOf(contractService.id)
        .map((adjustment) => parseDay(adjustment.effectiveDate)!)
        .filter((other) => other > day)
    : [];
  const lowest = Math.min(current + unitChange, ...laterDays.map((other) => state.unitsOn(contractService!.id, other) + unitChange));
  if (lowest < 0)
    return {
      ok: false,
      errors: [
        `unitChange ${unitChange} would leave ${lowest} units of "${String(service.name)}" on this contract; units cannot be negative.`,
      ],
    };

  // The adjustment adds the service to the contract when it is not there yet [ATCSA].
  if (!contractService) {
    contractService = newContractService(state, contract.id, service, {});
    state.put('ContractServices', contractService);
    state.setInitialUnits(contractService.id, 0);
  }
  const id = state.newId();
  state.put('ContractServiceAdjustments', {
    id,
    contractID: contract.id,
    serviceID: service.id,
    contractServiceID: contractService.id,
    effectiveDate: toWireDate(day),
    unitChange,
    adjustedUnitPrice: typeof body.adjustedunitprice === 'number' ? body.adjustedunitprice : null,
    adjustedUnitCost: typeof body.adjustedunitcost === 'number' ? body.adjustedunitcost : null,
    allowRepeatService: body.allowrepeatservice === true,
    quoteItemID: wholeNumber(body.quoteitemid) ?? null,
  });
  return { ok: true, itemId: id };
}

function newContractService(state: AutotaskState, contractId: number, service: WireRecord, body: Record<string, unknown>): WireRecord {
  const unitPrice = typeof body.unitprice === 'number' ? body.unitprice : (service.unitPrice as number);
  return {
    id: state.newId(),
    contractID: contractId,
    serviceID: service.id,
    unitPrice,
    adjustedPrice: typeof body.adjustedprice === 'number' ? body.adjustedprice : unitPrice,
    unitCost: typeof body.unitcost === 'number' ? body.unitcost : (service.unitCost as number),
    invoiceDescription:
      typeof body.invoicedescription === 'string' ? body.invoicedescription : ((service.invoiceDescription as string | null) ?? null),
    internalDescription: typeof body.internaldescription === 'string' ? body.internaldescription : null,
    quoteItemID: null,
  };
}

// A ContractService created directly starts with no units (assumed: the REST entity has no units field); units come
// from adjustments.
function createContractService(state: AutotaskState, contractId: number, body: Record<string, unknown>): Outcome {
  const contract = state.find('Contracts', contractId);
  if (!contract) return { ok: false, errors: [`No contract with id ${contractId}.`], status: 404 };
  if (body.contractid !== undefined && wholeNumber(body.contractid) !== contractId)
    return { ok: false, errors: [`contractID ${String(body.contractid)} does not match the contract ${contractId} in the URL.`] };
  if (body.serviceid === undefined) return { ok: false, errors: ['Missing required field: serviceID.'] };
  const service = state.find('Services', wholeNumber(body.serviceid) ?? -1);
  if (!service) return { ok: false, errors: [`serviceID: no service with id ${String(body.serviceid)}.`] };
  if (state.rows('ContractServices').some((row) => row.contractID === contractId && row.serviceID === service.id)) {
    return { ok: false, errors: [`The service "${String(service.name)}" is already on this contract.`] };
  }
  const record = newContractService(state, contractId, service, body);
  state.put('ContractServices', record);
  state.setInitialUnits(record.id, 0);
  return { ok: true, itemId: record.id };
}

const REQUIRED: Record<'Companies' | 'Contracts' | 'Services', string[]> = {
  Companies: ['companyName', 'companyType', 'phone', 'ownerResourceID'],
  Contracts: ['companyID', 'contractName', 'contractType', 'startDate', 'endDate', 'status'],
  Services: ['name', 'unitPrice', 'periodType'],
};

function createRecord(state: AutotaskState, entity: 'Companies' | 'Contracts' | 'Services', body: Record<string, unknown>): Outcome {
  const missing = REQUIRED[entity].filter(
    (field) => body[field.toLowerCase()] === undefined || body[field.toLowerCase()] === null || body[field.toLowerCase()] === '',
  );
  if (missing.length > 0) return { ok: false, errors: missing.map((field) => `Missing required field: ${field}.`) };
  const record: WireRecord = { id: state.newId() };
  for (const field of ENTITY_FIELDS[entity]) if (field !== 'id') record[field] = body[field.toLowerCase()] ?? null;
  const invalid = normalizeDates(entity, record);
  if (invalid) return { ok: false, errors: [invalid] };
  if (entity === 'Contracts' && !state.find('Companies', record.companyID as number))
    return { ok: false, errors: [`companyID: no company with id ${String(record.companyID)}.`] };
  if (record.isActive === null && entity !== 'Contracts') record.isActive = true;
  state.put(entity, record);
  return { ok: true, itemId: record.id };
}

function patchRecord(state: AutotaskState, entity: EntityName, body: Record<string, unknown>, contractId?: number): Outcome {
  const id = wholeNumber(body.id);
  if (id === undefined) return { ok: false, errors: ['Missing required field: id.'] };
  const existing = state.find(entity, id);
  if (!existing || (contractId !== undefined && existing.contractID !== contractId))
    return { ok: false, errors: [`No ${entity} record with id ${id}.`], status: 404 };
  const next: WireRecord = { ...existing };
  const readOnly = ['id', 'contractID', 'serviceID'];
  for (const field of ENTITY_FIELDS[entity])
    if (!readOnly.includes(field) && body[field.toLowerCase()] !== undefined) next[field] = body[field.toLowerCase()];
  const invalid = normalizeDates(entity, next);
  if (invalid) return { ok: false, errors: [invalid] };
  state.put(entity, next);
  return { ok: true, itemId: id };
}

function normalizeDates(entity: EntityName, record: WireRecord): string | undefined {
  if (entity !== 'Contracts') return undefined;
  for (const field of ['startDate', 'endDate']) {
    const day = parseDay(record[field]);
    if (!day) return `${field} "${String(record[field])}" is not a date.`;
    record[field] = toWireDate(day);
  }
  return String(record.endDate) < String(record.startDate) ? 'endDate must not be before startDate.' : undefined;
}
