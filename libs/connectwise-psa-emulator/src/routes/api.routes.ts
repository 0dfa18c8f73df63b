import express, { type Request, type Response, type Router } from 'express';
import { requirePermission } from '../http/api-auth';
import { CW_ERRORS, sendCwError, sendFrom } from '../http/cw-error';
import { fieldsOf, sendCount, sendList } from '../http/listing';
import type { AdditionRecord } from '../scenario/scenario';
import type { ConnectWiseEmulatorState } from '../state/emulator-state';
import { journal } from '../http/journal-write';
import { buildAddition, INVALID_MESSAGE, PATCHABLE } from './addition-validation';
import { additionView, agreementView, catalogView, companyView } from './views';

// The REST 3.0 routes Sync 365 uses, below /{codebase}apis/3.0 (FACTS §1).
export function registerApiRoutes(router: Router, state: ConnectWiseEmulatorState): void {
  const json = express.json({ limit: '1mb' });
  const companies = () => state.companies.filter((company) => !company.deletedFlag).map((company) => companyView(state, company));
  const agreements = () => state.agreements.map((agreement) => agreementView(state, agreement));
  const catalog = () => state.catalog.map((item) => catalogView(state, item));
  const sample = <T>(make: () => T[], fallback: T) => make()[0] ?? fallback;
  const companyFields = () => fieldsOf(sample(companies, {} as Record<string, unknown>));
  const agreementFields = () => fieldsOf(sample(agreements, {} as Record<string, unknown>));
  const catalogFields = () => fieldsOf(sample(catalog, {} as Record<string, unknown>));
  const additionFields = () =>
    fieldsOf(
      additionView(
        state,
        state.additions[0] ??
          ({
            id: 0,
            agreementId: 0,
            product: { id: 0, identifier: '', name: '' },
            lessIncluded: 0,
            quantity: 0,
            unitPrice: 0,
            unitCost: 0,
          } as AdditionRecord),
      ),
    );

  router.get('/company/companies', requirePermission('companies'), (req, res) => sendList(req, res, state, companies(), companyFields()));
  router.get('/company/companies/count', requirePermission('companies'), (req, res) => sendCount(req, res, companies(), companyFields()));
  router.get('/company/companies/:id', requirePermission('companies'), (req, res) => {
    const company = state.companies.find((candidate) => candidate.id === Number(req.params.id) && !candidate.deletedFlag);
    if (!company) return sendFrom(res, CW_ERRORS.notFound('Company', String(req.params.id)));
    res.json(companyView(state, company));
  });

  router.get('/finance/agreements', requirePermission('agreements'), (req, res) =>
    sendList(req, res, state, agreements(), agreementFields()),
  );
  router.get('/finance/agreements/count', requirePermission('agreements'), (req, res) =>
    sendCount(req, res, agreements(), agreementFields()),
  );
  router.get('/finance/agreements/:id', requirePermission('agreements'), (req, res) => {
    const agreement = state.agreement(Number(req.params.id));
    if (!agreement) return sendFrom(res, CW_ERRORS.notFound('Agreement', String(req.params.id)));
    res.json(agreementView(state, agreement));
  });

  router.get('/procurement/catalog', requirePermission('catalog'), (req, res) => sendList(req, res, state, catalog(), catalogFields()));
  router.get('/procurement/catalog/count', requirePermission('catalog'), (req, res) => sendCount(req, res, catalog(), catalogFields()));
  router.get('/procurement/catalog/:id', requirePermission('catalog'), (req, res) => {
    const item = state.catalog.find((candidate) => candidate.id === Number(req.params.id));
    if (!item) return sendFrom(res, CW_ERRORS.notFound('Catalog item', String(req.params.id)));
    res.json(catalogView(state, item));
  });

  router.get('/finance/invoices', requirePermission('invoices'), (req, res) => {
    const invoices = state.invoices.map(
      ({ lines: _lines, periodStart: _start, periodEnd: _end, ...invoice }) => invoice as unknown as Record<string, unknown>,
    );
    sendList(
      req,
      res,
      state,
      invoices,
      fieldsOf({
        id: 0,
        invoiceNumber: '',
        type: '',
        company: { id: 0, identifier: '', name: '' },
        agreement: { id: 0, name: '' },
        date: '',
        subtotal: 0,
        total: 0,
      }),
    );
  });

  // Agreement additions.
  const withAgreement = (req: Request, res: Response, write: boolean): number | undefined => {
    const agreementId = Number(req.params.agreementId);
    if (!state.agreement(agreementId)) {
      if (write) journal(state, req, 404, 'refused', {});
      sendFrom(res, CW_ERRORS.notFound('Agreement', String(req.params.agreementId)));
      return undefined;
    }
    return agreementId;
  };
  const additionsOf = (agreementId: number) => state.additions.filter((addition) => addition.agreementId === agreementId);

  router.get('/finance/agreements/:agreementId/additions', requirePermission('agreements'), (req, res) => {
    const agreementId = withAgreement(req, res, false);
    if (agreementId === undefined) return;
    sendList(
      req,
      res,
      state,
      additionsOf(agreementId).map((addition) => additionView(state, addition)),
      additionFields(),
    );
  });
  router.get('/finance/agreements/:agreementId/additions/count', requirePermission('agreements'), (req, res) => {
    const agreementId = withAgreement(req, res, false);
    if (agreementId === undefined) return;
    sendCount(
      req,
      res,
      additionsOf(agreementId).map((addition) => additionView(state, addition)),
      additionFields(),
    );
  });
  router.get('/finance/agreements/:agreementId/additions/:id', requirePermission('agreements'), (req, res) => {
    const agreementId = withAgreement(req, res, false);
    if (agreementId === undefined) return;
    const addition = additionsOf(agreementId).find((candidate) => candidate.id === Number(req.params.id));
    if (!addition) return sendFrom(res, CW_ERRORS.notFound('Agreement addition', String(req.params.id)));
    res.json(additionView(state, addition));
  });

  router.post('/finance/agreements/:agreementId/additions', requirePermission('agreements'), json, (req, res) => {
    const agreementId = withAgreement(req, res, true);
    if (agreementId === undefined) return;
    if (!isObject(req.body)) return refuseBody(state, req, res, 'The request body must be an agreementAddition object.');
    const agreement = state.agreement(agreementId)!;
    if (agreement.agreementStatus === 'Cancelled') {
      // Assumed: ConnectWise does not add to a cancelled agreement.
      journal(state, req, 400, 'refused', { request: req.body });
      return sendCwError(res, 400, 'InvalidObject', INVALID_MESSAGE, [
        {
          code: 'InvalidField',
          message: 'Additions cannot be added to a cancelled agreement.',
          resource: 'agreementAddition',
          field: 'agreementId',
        },
      ]);
    }
    const built = buildAddition(state, agreementId, req.body, undefined);
    if (!built.ok) {
      journal(state, req, 400, 'refused', { request: req.body });
      return sendCwError(res, 400, 'InvalidObject', INVALID_MESSAGE, built.errors);
    }
    const record = { ...built.record, id: state.allocateAdditionId() };
    state.additions.push(record);
    const view = additionView(state, record);
    journal(state, req, 201, 'applied', { request: req.body, after: view, additionId: record.id });
    res.status(201).json(view);
  });

  router.put('/finance/agreements/:agreementId/additions/:id', requirePermission('agreements'), json, (req, res) => {
    const found = findForWrite(state, req, res);
    if (!found) return;
    if (!isObject(req.body)) return refuseBody(state, req, res, 'The request body must be an agreementAddition object.');
    // PUT replaces: what the body leaves out goes back to its default.
    const built = buildAddition(state, found.agreementId, req.body, undefined);
    if (!built.ok) {
      journal(state, req, 400, 'refused', { request: req.body, additionId: found.addition.id });
      return sendCwError(res, 400, 'InvalidObject', INVALID_MESSAGE, built.errors);
    }
    replace(state, req, res, found.addition, { ...built.record, id: found.addition.id, dateEntered: found.addition.dateEntered });
  });

  router.patch('/finance/agreements/:agreementId/additions/:id', requirePermission('agreements'), json, (req, res) => {
    const found = findForWrite(state, req, res);
    if (!found) return;
    const operations = req.body as unknown;
    if (!Array.isArray(operations) || operations.length === 0) {
      return refuseBody(
        state,
        req,
        res,
        'A PATCH body must be a non-empty array of operations: [{"op":"replace","path":"quantity","value":12}].',
      );
    }
    const changes: Record<string, unknown> = {};
    for (const operation of operations) {
      const op = isObject(operation) ? String(operation.op ?? '').toLowerCase() : '';
      const path = isObject(operation) && typeof operation.path === 'string' ? operation.path.replace(/^\/+/, '') : '';
      const field = [...PATCHABLE].find((name) => name.toLowerCase() === path.toLowerCase());
      if (!['add', 'replace', 'remove'].includes(op) || !field) {
        journal(state, req, 400, 'refused', { request: operations, additionId: found.addition.id });
        return sendCwError(res, 400, 'InvalidObject', INVALID_MESSAGE, [
          {
            code: 'InvalidField',
            message: `Cannot ${op || 'apply'} "${path}": unknown operation or field.`,
            resource: 'agreementAddition',
            field: path || 'path',
          },
        ]);
      }
      changes[field] = op === 'remove' ? null : (operation as Record<string, unknown>).value;
    }
    const built = buildAddition(state, found.agreementId, changes, found.addition);
    if (!built.ok) {
      journal(state, req, 400, 'refused', { request: operations, additionId: found.addition.id });
      return sendCwError(res, 400, 'InvalidObject', INVALID_MESSAGE, built.errors);
    }
    replace(state, req, res, found.addition, { ...built.record, id: found.addition.id });
  });

  router.delete('/finance/agreements/:agreementId/additions/:id', requirePermission('agreements'), (req, res) => {
    const found = findForWrite(state, req, res);
    if (!found) return;
    const before = additionView(state, found.addition);
    state.additions = state.additions.filter((addition) => addition !== found.addition);
    journal(state, req, 204, 'applied', { before, additionId: found.addition.id });
    res.status(204).end();
  });

  router.use((req, res) => sendFrom(res, CW_ERRORS.routeNotFound));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function findForWrite(
  state: ConnectWiseEmulatorState,
  req: Request,
  res: Response,
): { agreementId: number; addition: AdditionRecord } | undefined {
  const agreementId = Number(req.params.agreementId);
  if (!state.agreement(agreementId)) {
    journal(state, req, 404, 'refused', {});
    sendFrom(res, CW_ERRORS.notFound('Agreement', String(req.params.agreementId)));
    return undefined;
  }
  const addition = state.additions.find((candidate) => candidate.agreementId === agreementId && candidate.id === Number(req.params.id));
  if (!addition) {
    journal(state, req, 404, 'refused', {});
    sendFrom(res, CW_ERRORS.notFound('Agreement addition', String(req.params.id)));
    return undefined;
  }
  return { agreementId, addition };
}

function replace(state: ConnectWiseEmulatorState, req: Request, res: Response, current: AdditionRecord, next: AdditionRecord): void {
  const before = additionView(state, current);
  Object.assign(current, next);
  const after = additionView(state, current);
  journal(state, req, 200, 'applied', { request: req.body, before, after, additionId: current.id });
  res.json(after);
}

function refuseBody(state: ConnectWiseEmulatorState, req: Request, res: Response, message: string): void {
  journal(state, req, 400, 'refused', { request: req.body });
  sendCwError(res, 400, 'InvalidObject', INVALID_MESSAGE, [
    { code: 'InvalidField', message, resource: 'agreementAddition', field: 'body' },
  ]);
}
