import { escapeHtml } from '../../http/html';
import { hiddenFlowField, layoutPage } from './layout.page';

export interface ConsentPageModel {
  flowId: string;
  action: string;
  appDisplayName: string;
  userPrincipalName: string;
  permissions: string[];
  // A Global Administrator may also consent for everyone in the directory (unticked by default).
  offerOrganizationConsent?: boolean;
  // GET /adminconsent: the consent is for the whole organization, there is nothing to tick.
  forOrganization?: boolean;
}

export function consentPage(model: ConsentPageModel): string {
  const items = model.permissions.map((permission) => `<li>${escapeHtml(permission)}</li>`).join('\n    ');
  const organizationOption = model.offerOrganizationConsent
    ? `<label class="checkbox"><input type="checkbox" name="consent_for_organization" value="true"> Consent on behalf of your organization</label>`
    : '';
  const organizationNote = model.forOrganization
    ? '<p class="small">If you accept, this app will get access to the specified resources for all users in your organization. No one else will be prompted to review these permissions.</p>'
    : '<p class="small">Accepting these permissions means that you allow this app to use your data as specified in their terms of service and privacy statement. You can change these permissions at https://myapps.microsoft.com.</p>';
  return layoutPage({
    title: 'Permissions requested',
    page: model.forOrganization ? 'admin-consent' : 'consent',
    body: `
<div class="identity">${escapeHtml(model.userPrincipalName)}</div>
<h1>Permissions requested${model.forOrganization ? '<br><span class="small">Accept for your organization</span>' : ''}</h1>
<p><strong class="app-name">${escapeHtml(model.appDisplayName)}</strong><br><span class="small">unverified</span></p>
<p>This app would like to:</p>
<ul class="permissions">
    ${items}
</ul>
${organizationNote}
<form method="post" action="${escapeHtml(model.action)}">
  ${hiddenFlowField(model.flowId)}
  ${organizationOption}
  <div class="actions">
    <button type="submit" name="decision" value="cancel" class="secondary">Cancel</button>
    <button type="submit" name="decision" value="accept" class="primary">Accept</button>
  </div>
</form>`,
  });
}
