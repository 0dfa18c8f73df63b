import type { Request, RequestHandler } from 'express';
import type { ApiMember, Permission } from '../scenario/scenario';
import type { ConnectWiseEmulatorState } from '../state/emulator-state';
import { CW_ERRORS, sendFrom } from './cw-error';

declare module 'express-serve-static-core' {
  interface Request {
    cwMember?: ApiMember;
    cwApiPath?: string;
  }
}

// Authorization: Basic b64("{companyId}+{publicKey}:{privateKey}") plus clientId (FACTS §1, PYCW). The company id
// compares case-insensitively (ConnectWise's sign-in does: assumed), the keys exactly.
export function parseBasic(header: string | undefined): { companyId: string; publicKey: string; privateKey: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const plus = decoded.indexOf('+');
  if (colon === -1 || plus === -1 || plus > colon) return undefined;
  return { companyId: decoded.slice(0, plus), publicKey: decoded.slice(plus + 1, colon), privateKey: decoded.slice(colon + 1) };
}

export function authenticate(state: ConnectWiseEmulatorState): RequestHandler {
  return (req, res, next) => {
    const clientId = req.get('clientId');
    if (!clientId) return sendFrom(res, CW_ERRORS.missingClientId);
    if (state.scenario.clientIds.length > 0 && !state.scenario.clientIds.some((id) => id.toLowerCase() === clientId.toLowerCase())) {
      return sendFrom(res, CW_ERRORS.unknownClientId);
    }
    const credentials = parseBasic(req.get('authorization'));
    if (!credentials) return sendFrom(res, CW_ERRORS.noAuthorization);
    const member = state.member(credentials.publicKey);
    const valid =
      member &&
      member.privateKey === credentials.privateKey &&
      credentials.companyId.toLowerCase() === state.scenario.companyId.toLowerCase();
    if (!valid)
      return sendFrom(res, state.settings.badCredentialsStatus === 404 ? CW_ERRORS.badCredentialsCloud : CW_ERRORS.badCredentials);
    req.cwMember = member;
    next();
  };
}

const AREAS: Record<Permission, string> = {
  companies: 'Companies → Company Maintenance',
  agreements: 'Finance → Agreements',
  catalog: 'Procurement → Product Catalog',
  invoices: 'Finance → Invoicing',
};

export function requirePermission(permission: Permission): RequestHandler {
  return (req: Request, res, next) => {
    if (!req.cwMember?.permissions.includes(permission)) return sendFrom(res, CW_ERRORS.forbidden(AREAS[permission]));
    next();
  };
}
