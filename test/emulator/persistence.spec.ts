import { createPublicKey, createVerify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  callApi,
  CONTOSO,
  control,
  partnerSession,
  redeemCode,
  refresh,
  signIn,
  startTestEmulator,
  tokensFor,
  type TestEmulator,
} from './support/emulator-test-kit';
import { DEMO_CUSTOMERS, EmulatorBrowser } from '../../libs/microsoft-emulator/src';

async function jwks(env: TestEmulator): Promise<Record<string, string>[]> {
  return ((await (await fetch(`${env.url}/common/discovery/v2.0/keys`)).json()) as { keys: Record<string, string>[] }).keys;
}

function verifiesWith(token: string, jwk: Record<string, string>): boolean {
  const [header, payload, signature] = token.split('.');
  const key = createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: 'jwk' });
  return createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(key, Buffer.from(signature, 'base64url'));
}

describe('emulator persistence', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'emulator-data-'));
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the signing key, refresh tokens and SSO sessions across a restart with the same dataDir', async () => {
    const first = await startTestEmulator({ dataDir });
    const browser = new EmulatorBrowser();
    const result = await signIn(first, `s365@${CONTOSO}`, {}, { browser });
    const tokens = (await redeemCode(first, result.params.code)).body;
    const keysBefore = await jwks(first);
    await first.emulator.close();

    const second = await startTestEmulator({ dataDir });
    try {
      const keysAfter = await jwks(second);
      expect(keysAfter[0].kid).toBe(keysBefore[0].kid);
      expect(verifiesWith(tokens.id_token, keysAfter[0])).toBe(true);

      const refreshed = await refresh(second, tokens.refresh_token);
      expect(refreshed.status).toBe(200);
      expect(verifiesWith(refreshed.body.access_token, keysAfter[0])).toBe(true);

      // Same browser, new emulator process: the SSO cookie still signs the user in.
      const silent = await browser.get(
        `${second.url}/common/oauth2/v2.0/authorize?${new URLSearchParams({
          client_id: second.app.clientId,
          response_type: 'code',
          redirect_uri: second.redirectUri,
          scope: 'openid profile email offline_access User.Read',
          state: 's',
        })}`,
      );
      expect(silent.status).toBe(302);
      expect(new URL(silent.location!).searchParams.get('code')).toBeTruthy();
    } finally {
      await second.emulator.close();
    }
  });

  it('stores state privately, atomically, and never the tokens themselves', async () => {
    const env = await startTestEmulator({ dataDir });
    const tokens = await tokensFor(env, `nomfa@${CONTOSO}`);
    await env.emulator.close();

    const statePath = join(dataDir, 'state.json');
    const content = readFileSync(statePath, 'utf8');
    expect(statSync(statePath).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'token-signing.key')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(content)).toMatchObject({ version: 1, identity: { grants: expect.any(Array), refreshTokens: expect.any(Array) } });
    expect(content).not.toContain(tokens.refresh_token);
    expect(content).not.toContain('Demo-Password-1');
  });

  it('starts fresh without a dataDir: another key, no old refresh tokens', async () => {
    const persisted = await startTestEmulator({ dataDir });
    const tokens = await tokensFor(persisted, `nomfa@${CONTOSO}`);
    const persistedKid = (await jwks(persisted))[0].kid;
    await persisted.emulator.close();

    const inMemory = await startTestEmulator();
    try {
      expect((await jwks(inMemory))[0].kid).not.toBe(persistedKid);
      expect((await refresh(inMemory, tokens.refresh_token)).status).toBe(400);
    } finally {
      await inMemory.emulator.close();
    }
  });

  it('keeps scenario changes (Partner Center PATCHes, control-API changes) across a restart, without passwords', async () => {
    const first = await startTestEmulator({ dataDir });
    const adatum = DEMO_CUSTOMERS.adatum.id;
    let subscriptionId: string;
    try {
      const session = await partnerSession(first, `s365@${CONTOSO}`);
      // Power BI Pro answers at once (Adatum's E3 answers 202 Accepted: pending-subscription-change.conformance).
      subscriptionId = (
        (await callApi(first, `/v1/customers/${adatum}/subscriptions`, session.partnerCenterToken)).body.items as {
          id: string;
          termDuration: string;
        }[]
      ).find((s) => s.termDuration === 'P1M')!.id;
      expect(
        (
          await callApi(first, `/v1/customers/${adatum}/subscriptions/${subscriptionId}`, session.partnerCenterToken, {
            method: 'PATCH',
            body: { quantity: 61 },
          })
        ).status,
      ).toBe(200);
      expect((await control(first, 'DELETE', `customers/${DEMO_CUSTOMERS.coho.id}`)).status).toBe(200);
    } finally {
      await first.emulator.close();
    }

    const content = readFileSync(join(dataDir, 'scenario.json'), 'utf8');
    expect(content).not.toContain('Demo-Password-1');
    expect(statSync(join(dataDir, 'scenario.json')).mode & 0o777).toBe(0o600);

    const second = await startTestEmulator({ dataDir });
    try {
      const session = await partnerSession(second, `s365@${CONTOSO}`);
      const get = (path: string) => callApi(second, path, session.partnerCenterToken);
      expect((await get(`/v1/customers/${adatum}/subscriptions/${subscriptionId}`)).body.quantity).toBe(61);
      expect((await get('/v1/customers')).body.items).toHaveLength(24);

      await control(second, 'POST', 'reset');
      const fresh = await partnerSession(second, `s365@${CONTOSO}`);
      expect((await callApi(second, '/v1/customers', fresh.partnerCenterToken)).body.items).toHaveLength(25);
    } finally {
      await second.emulator.close();
    }
  });

  it('keeps app consents across a restart, and gives customers saved before app provisioning existed the app they had', async () => {
    const legacyDir = mkdtempSync(join(tmpdir(), 'emulator-legacy-'));
    const munson = DEMO_CUSTOMERS.munson.id;
    const proseware = DEMO_CUSTOMERS.proseware.id;
    try {
      const first = await startTestEmulator({ dataDir: legacyDir });
      try {
        await control(first, 'PATCH', `customers/${munson}`, { appProvisioned: true });
      } finally {
        await first.emulator.close();
      }
      const second = await startTestEmulator({ dataDir: legacyDir });
      try {
        expect((await control(second, 'GET', `customers/${munson}`)).body.applicationConsents).toHaveLength(1);
        expect((await control(second, 'GET', `customers/${proseware}`)).body.applicationConsents).toEqual([]);
      } finally {
        await second.emulator.close();
      }

      // The file as an emulator without app provisioning wrote it: no applicationConsents anywhere.
      const file = join(legacyDir, 'scenario.json');
      const saved = JSON.parse(readFileSync(file, 'utf8'));
      for (const customer of saved.scenario.customers) delete customer.applicationConsents;
      writeFileSync(file, JSON.stringify(saved), { mode: 0o600 });
      const third = await startTestEmulator({ dataDir: legacyDir });
      try {
        expect((await control(third, 'GET', `customers/${proseware}`)).body.applicationConsents).toEqual([
          expect.objectContaining({ applicationId: third.app.clientId }),
        ]);
      } finally {
        await third.emulator.close();
      }
    } finally {
      rmSync(legacyDir, { recursive: true, force: true });
    }
  });
});
