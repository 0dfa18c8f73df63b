// Behaviour switches that tests flip through EmulatorOptions or POST /__emulator/settings.

export interface ThrottleLimit {
  limit: number; // requests per window, per partner tenant (Partner Center) or tenant (Graph), per endpoint group
  windowSeconds: number;
}

export interface EmulatorSettings {
  partnerCenter: {
    // links.next.uri of /v1/customers: Microsoft's samples show both "/v1/customers?..." and "/customers?...".
    nextLinkPrefix: '/v1' | '';
    // How a token without MFA is refused: the 2026 enforcement (401 + ApiFault code 900421) or the
    // legacy documented form (401 "MFA required", WWW-Authenticate only, no body).
    mfaRefusal: '900421' | 'legacy';
    // Partner Center documented 500 requests per minute per tenant for customers and subscriptions.
    throttle: ThrottleLimit;
  };
  graph: {
    throttle: ThrottleLimit;
  };
}

export interface EmulatorSettingsPatch {
  partnerCenter?: Partial<Omit<EmulatorSettings['partnerCenter'], 'throttle'>> & { throttle?: Partial<ThrottleLimit> };
  graph?: { throttle?: Partial<ThrottleLimit> };
}

export const DEFAULT_SETTINGS: EmulatorSettings = {
  partnerCenter: { nextLinkPrefix: '/v1', mfaRefusal: '900421', throttle: { limit: 500, windowSeconds: 60 } },
  graph: { throttle: { limit: 1000, windowSeconds: 10 } },
};

// Returns the merged settings, or the list of problems with the patch.
export function applySettingsPatch(
  base: EmulatorSettings,
  patch: unknown,
): { ok: true; settings: EmulatorSettings } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const settings = structuredClone(base);
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
    return { ok: false, errors: ['Settings must be a JSON object.'] };
  const { partnerCenter, graph, ...unknown } = patch as Record<string, unknown>;
  for (const name of Object.keys(unknown)) errors.push(`Unknown setting "${name}".`);
  if (partnerCenter !== undefined) {
    const pc = asObject(partnerCenter, 'partnerCenter', errors);
    if (pc) {
      const { nextLinkPrefix, mfaRefusal, throttle, ...rest } = pc;
      for (const name of Object.keys(rest)) errors.push(`Unknown setting "partnerCenter.${name}".`);
      if (nextLinkPrefix !== undefined) {
        if (nextLinkPrefix === '/v1' || nextLinkPrefix === '') settings.partnerCenter.nextLinkPrefix = nextLinkPrefix;
        else errors.push('"partnerCenter.nextLinkPrefix" must be "/v1" or "".');
      }
      if (mfaRefusal !== undefined) {
        if (mfaRefusal === '900421' || mfaRefusal === 'legacy') settings.partnerCenter.mfaRefusal = mfaRefusal;
        else errors.push('"partnerCenter.mfaRefusal" must be "900421" or "legacy".');
      }
      if (throttle !== undefined) applyThrottle(settings.partnerCenter.throttle, throttle, 'partnerCenter.throttle', errors);
    }
  }
  if (graph !== undefined) {
    const g = asObject(graph, 'graph', errors);
    if (g) {
      const { throttle, ...rest } = g;
      for (const name of Object.keys(rest)) errors.push(`Unknown setting "graph.${name}".`);
      if (throttle !== undefined) applyThrottle(settings.graph.throttle, throttle, 'graph.throttle', errors);
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, settings };
}

function applyThrottle(target: ThrottleLimit, value: unknown, path: string, errors: string[]): void {
  const throttle = asObject(value, path, errors);
  if (!throttle) return;
  for (const [name, raw] of Object.entries(throttle)) {
    if (name !== 'limit' && name !== 'windowSeconds') errors.push(`Unknown setting "${path}.${name}".`);
    else if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1) errors.push(`"${path}.${name}" must be a positive integer.`);
    else target[name] = raw;
  }
}

function asObject(value: unknown, path: string, errors: string[]): Record<string, unknown> | undefined {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  errors.push(`"${path}" must be an object.`);
  return undefined;
}
