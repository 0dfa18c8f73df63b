import { DEMO_CUSTOMERS } from '../../libs/microsoft-emulator/src';
import { seriousAccessibilityViolations } from '../support/accessibility';
import { signInAndConnect, useBrowserTestApp } from '../support/browser';
import { eventually } from '../support/eventually';

// Every main page, as a partner admin and a customer see it, at desktop and phone sizes: no serious or critical
// WCAG 2.1 A/AA violation that axe-core can find.
describe('accessibility of the main pages (axe-core in Chromium)', () => {
  const env = useBrowserTestApp();
  const coho = DEMO_CUSTOMERS.coho.id;
  const pages = [
    '/',
    '/customers',
    '/customers/delegated-admins',
    `/tenants/${coho}`,
    `/tenants/${coho}/direct-csp`,
    '/licensing',
    '/licensing/exclusions',
    '/portal-requests',
    '/settings/api-keys',
    '/settings/webhooks',
    '/settings/audit-log',
  ];

  it('finds no serious violation on the signed-in pages, at 1440×900 and on a 390×844 phone', async () => {
    const context = await env.browser.newContext({ ignoreHTTPSErrors: true, bypassCSP: true, viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signInAndConnect(page, env.app.baseUrl, 'admin@contoso-partners.example', 's365@contoso-partners.example');
    await eventually(
      async () =>
        expect((await env.app.query<{ n: number }>(`select count(*)::int as n from import_runs where status = 'completed'`))[0].n).toBe(1),
      60_000,
    );

    const found: Record<string, string[]> = {};
    for (const viewport of [
      { width: 1440, height: 900 },
      { width: 390, height: 844 },
    ]) {
      await page.setViewportSize(viewport);
      for (const path of pages) {
        await page.goto(`${env.app.baseUrl}${path}`);
        const violations = await seriousAccessibilityViolations(page);
        if (violations.length > 0) found[`${path} @${viewport.width}`] = violations;
      }
    }
    expect(found).toEqual({});
    await context.close();
  }, 180_000);

  it('finds no serious violation on the pages before sign-in', async () => {
    const context = await env.browser.newContext({ ignoreHTTPSErrors: true, bypassCSP: true });
    const page = await context.newPage();
    const found: Record<string, string[]> = {};
    for (const path of ['/auth/sign-in', '/auth/sign-in?signed-out=1', '/portal/sign-in']) {
      await page.goto(`${env.app.baseUrl}${path}`);
      const violations = await seriousAccessibilityViolations(page);
      if (violations.length > 0) found[path] = violations;
    }
    expect(found).toEqual({});
    await context.close();
  });

  it('offers a skip link as the first Tab stop, and focus outlines with at least 3:1 contrast against the page', async () => {
    const context = await env.browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    await page.goto(`${env.app.baseUrl}/auth/sign-in`);
    await page.keyboard.press('Tab');
    const skip = await page.evaluate<{ text: string; href: string; visible: boolean; outline: string; page: string }>(`(() => {
      const element = document.activeElement;
      const box = element.getBoundingClientRect();
      return { text: element.textContent, href: element.getAttribute('href'), visible: box.top >= 0 && box.height > 0, outline: getComputedStyle(element).outlineColor, page: getComputedStyle(document.documentElement).backgroundColor };
    })()`);
    expect(skip).toMatchObject({ text: 'Skip to content', href: '#main', visible: true });
    expect(contrast(skip.outline, skip.page)).toBeGreaterThanOrEqual(3);
    expect(contrast(skip.outline, 'rgb(255, 255, 255)')).toBeGreaterThanOrEqual(3);
    await context.close();
  });
});

// WCAG 2.1 contrast ratio of two CSS rgb() colours.
function contrast(a: string, b: string): number {
  const luminance = (color: string) => {
    const [r, g, b] = (color.match(/\d+(\.\d+)?/g) ?? [])
      .slice(0, 3)
      .map((v) => Number(v) / 255)
      .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}
