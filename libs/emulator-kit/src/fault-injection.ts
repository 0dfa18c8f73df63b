import type { Request, RequestHandler, Response, Router } from 'express';
import express from 'express';
import type { FaultRule } from './fault-registry';

// Unref'd: a delayed answer nobody waits for any more must not keep a test process alive.
export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export interface FaultInjectionOptions<Rule extends FaultRule> {
  take: (req: Request) => Rule | undefined; // the registry's first matching rule for this request
  // Answers kind "status" and any kind of the emulator's own (the error body of the emulated system).
  send: (req: Request, res: Response, rule: Rule) => void;
  // Runs for every fault that answers or drops the request (not for kind latency), before it does.
  onFault?: (req: Request, rule: Rule) => void;
}

// The route hook that applies fault rules: the rule's delay first, then by kind: latency (answer normally), reset
// (drop the connection), malformed (a 200 cut halfway) or the emulator's own error answer.
export function injectFaults<Rule extends FaultRule>(options: FaultInjectionOptions<Rule>): RequestHandler {
  return async (req, res, next) => {
    const rule = options.take(req);
    if (!rule) return next();
    if (rule.latencyMs) await delay(rule.latencyMs);
    if (rule.kind === 'latency') return next();
    options.onFault?.(req, rule);
    switch (rule.kind) {
      case 'reset':
        // Like a dropped connection: no status line at all.
        req.socket.destroy();
        return;
      case 'malformed':
        sendTruncatedBodies(res);
        return next();
      default:
        return options.send(req, res, rule);
    }
  };
}

// A 200 whose JSON body stops halfway, whatever the handler meant to answer.
export function sendTruncatedBodies(res: Response): void {
  const send = res.send.bind(res);
  res.json = (body: unknown) => {
    const text = JSON.stringify(body) ?? '';
    res.status(200).type('application/json; charset=utf-8');
    return send(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
  };
}

// The Retry-After header of a fault rule, when it gives one.
export function retryAfterHeaders(rule: FaultRule): Record<string, string> {
  return rule.retryAfterSeconds !== undefined ? { 'Retry-After': String(rule.retryAfterSeconds) } : {};
}

// What the control API needs of a FaultRegistry, whatever its rule type.
export interface FaultControl {
  add(input: unknown): { ok: true; rule: FaultRule } | { ok: false; errors: string[] };
  list(): FaultRule[];
  remove(id: string): boolean;
  clear(): void;
}

// The control API of the fault rules, under prefix (e.g. /__emulator): GET/POST/DELETE {prefix}/faults and
// DELETE {prefix}/faults/:id. Errors as {"error": "…"}.
export function registerFaultRoutes(router: Router, prefix: string, faults: FaultControl): void {
  const json = express.json();
  router.get(`${prefix}/faults`, (_req, res) => {
    res.json(faults.list());
  });
  router.post(`${prefix}/faults`, json, (req, res) => {
    const added = faults.add(req.body);
    if (!added.ok) return res.status(400).json({ error: added.errors.join(' ') });
    res.status(201).json(added.rule);
  });
  router.delete(`${prefix}/faults`, (_req, res) => {
    faults.clear();
    res.json({ ok: true });
  });
  router.delete(`${prefix}/faults/:id`, (req, res) => {
    if (!faults.remove(String(req.params.id))) return res.status(404).json({ error: `No fault ${String(req.params.id)}.` });
    res.json({ ok: true });
  });
}
