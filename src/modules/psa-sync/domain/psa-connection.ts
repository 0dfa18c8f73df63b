import { InvalidPsaInputError } from './psa-sync.errors';

export type PsaKind = 'connectwise' | 'autotask';

export const PSA_NAMES: Record<PsaKind, string> = { connectwise: 'ConnectWise PSA', autotask: 'Autotask' };

export interface ConnectWiseSecrets {
  kind: 'connectwise';
  siteUrl: string;
  companyId: string;
  publicKey: string;
  privateKey: string;
  clientId: string;
}

export interface AutotaskSecrets {
  kind: 'autotask';
  userName: string;
  secret: string;
  integrationCode: string;
  // Where to ask Autotask's ZoneInformation (blank: Autotask's own, webservices2.autotask.net).
  discoveryUrl: string;
  // The zone the discovery answered, kept so later calls skip it.
  zoneUrl?: string;
}

export type PsaCredentials = ConnectWiseSecrets | AutotaskSecrets;

// One organization's PSA. The credentials live only encrypted at rest and are never shown back: pages show `label`.
export interface PsaConnection {
  organizationId: string;
  kind: PsaKind;
  label: string;
  credentials: PsaCredentials;
  connectedAt: Date;
  connectedByName: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function required(body: Record<string, unknown>, field: string, what: string, fix: string, max = 200): string {
  const value = typeof body[field] === 'string' ? (body[field] as string).trim() : '';
  if (!value) throw new InvalidPsaInputError(`Give the ${what}.`, fix, field);
  if (value.length > max)
    throw new InvalidPsaInputError(`The ${what} is longer than ${max} characters.`, 'Check that you pasted only the value.', field);
  return value;
}

function url(value: string, field: string, what: string): string {
  const text = value.includes('://') ? value : `https://${value}`;
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new InvalidPsaInputError(
      `The ${what} is not a web address.`,
      'Enter it like na.myconnectwise.net or https://psa.example.com.',
      field,
    );
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new InvalidPsaInputError(`The ${what} must start with https://.`, 'Enter the address you open in the browser.', field);
  return parsed.origin + parsed.pathname.replace(/\/+$/, '');
}

// The credentials from the connect form, checked for shape only (the PSA itself is asked next).
export function connectionCredentials(kind: string, body: Record<string, unknown>): PsaCredentials {
  if (kind === 'connectwise') {
    const siteUrl = url(
      required(body, 'siteUrl', 'ConnectWise site', 'Enter the address you sign in to ConnectWise at, e.g. na.myconnectwise.net.'),
      'siteUrl',
      'ConnectWise site',
    );
    const clientId = required(body, 'clientId', 'client ID', 'Use the client ID of your integration from developer.connectwise.com.');
    if (!GUID.test(clientId))
      throw new InvalidPsaInputError(
        'The client ID is not a GUID.',
        'Copy it from developer.connectwise.com → Client IDs; it looks like 7c1f0b9e-3a52-4d8e-9b61-2f4a6c8d0e13.',
        'clientId',
      );
    return {
      kind,
      siteUrl,
      companyId: required(body, 'companyId', 'company ID', 'Use the company ID you type when signing in to ConnectWise.', 50),
      publicKey: required(
        body,
        'publicKey',
        'public key',
        'Create API keys for an API member in ConnectWise: System → Members → API Members → API Keys.',
      ),
      privateKey: required(
        body,
        'privateKey',
        'private key',
        'ConnectWise shows the private key once, when the API key is created; create a new key if it is lost.',
      ),
      clientId,
    };
  }
  if (kind === 'autotask') {
    const discovery =
      typeof body.discoveryUrl === 'string' && body.discoveryUrl.trim()
        ? url(body.discoveryUrl.trim(), 'discoveryUrl', 'zone discovery address')
        : '';
    return {
      kind,
      userName: required(
        body,
        'userName',
        'API user name',
        'Use the user name of an API user (Admin → Resources/Users, security level API User).',
      ),
      secret: required(body, 'secret', 'secret', 'Use the API user’s secret (Admin → Resources/Users → the API user → Generate secret).'),
      integrationCode: required(
        body,
        'integrationCode',
        'integration code (tracking identifier)',
        'Use the API tracking identifier of your integration (the API user’s API Tracking Identifier).',
      ),
      discoveryUrl: discovery,
    };
  }
  throw new InvalidPsaInputError('Choose ConnectWise PSA or Autotask.', 'Pick the PSA you invoice from.', 'kind');
}

// What pages show of a connection: never a key or secret.
export function connectionLabel(credentials: PsaCredentials): string {
  if (credentials.kind === 'connectwise') return `${new URL(credentials.siteUrl).host}, company ${credentials.companyId}`;
  return `API user ${credentials.userName}`;
}
