import express, { type Request, type Response, type Router } from 'express';
import { forgetUserSessions } from '../identity/sso-session';
import { Realism, type RealismOptions } from '../http/realism';
import type { EmulatorState } from '../state/emulator-state';
import { registerFaultControlRoutes } from './fault-control.routes';
import { registerScenarioControlRoutes } from './scenario-control.routes';

// Test-only levers under /__emulator (never part of Microsoft's surface).
export function registerControlRoutes(router: Router, state: EmulatorState): void {
  const json = express.json();

  router.post('/__emulator/reset', (_req, res) => {
    state.reset();
    res.json({ ok: true });
  });

  router.get('/__emulator/clock', (_req, res) => {
    res.json({ now: new Date(state.now()).toISOString() });
  });

  router.post('/__emulator/clock', json, (req, res) => {
    const advanceSeconds = (req.body as { advanceSeconds?: unknown } | undefined)?.advanceSeconds;
    if (typeof advanceSeconds !== 'number' || !Number.isFinite(advanceSeconds) || advanceSeconds < 0) {
      return badRequest(res, 'Body must be {"advanceSeconds": <non-negative number>}.');
    }
    state.advanceClock(advanceSeconds);
    res.json({ now: new Date(state.now()).toISOString() });
  });

  router.post('/__emulator/id-token-overrides', json, (req, res) => {
    const body = (req.body ?? {}) as { claims?: unknown; count?: unknown };
    const count = body.count ?? 1;
    if (typeof body.claims !== 'object' || body.claims === null || Array.isArray(body.claims)) {
      return badRequest(res, 'Body must be {"claims": {...}, "count"?: number}.');
    }
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) return badRequest(res, '"count" must be a positive integer.');
    state.identity.idTokenOverrides.push({ claims: body.claims as Record<string, unknown>, remaining: count });
    res.json({ ok: true, pending: state.identity.idTokenOverrides.reduce((sum, override) => sum + override.remaining, 0) });
  });

  // Like an admin resetting the password in Entra: refresh tokens and sessions die (AADSTS50173).
  router.post('/__emulator/users/:upn/password-reset', (req: Request, res) => {
    const user = state.findUserByUpn(String(req.params.upn));
    if (!user) return res.status(404).json({ error: `No user '${String(req.params.upn)}' in the scenario.` });
    const now = state.now();
    for (const record of state.identity.refreshTokens.values()) {
      if (record.userId === user.id && record.revokedAt === undefined) record.revokedAt = now;
    }
    forgetUserSessions(state, user.id);
    state.persist();
    res.json({ ok: true });
  });

  router.get('/__emulator/requests', (_req, res) => {
    res.json(Object.fromEntries(state.requestCounts));
  });

  // The realistic world's counters (429s by cause, requests and resource units by limit key); 404 when it is off.
  router.get('/__emulator/realism', (_req, res) => {
    if (!state.realism)
      return res.status(404).json({ error: 'not_found', error_description: 'Realism is off: start the emulator with the realism option.' });
    res.json({ options: state.realism.options, ...state.realism.counters });
  });

  // Turns the realistic world on ({"options": {...}}) or off ({"off": true}); counters start again from zero.
  router.post('/__emulator/realism', json, (req, res) => {
    const body = (req.body ?? {}) as { off?: unknown; options?: RealismOptions };
    state.realism = body.off === true ? null : new Realism(body.options ?? {});
    res.json({ on: state.realism !== null });
  });

  registerScenarioControlRoutes(router, state);
  registerFaultControlRoutes(router, state);
}

function badRequest(res: Response, error: string): void {
  res.status(400).json({ error });
}
