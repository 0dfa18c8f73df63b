import { escapeHtml } from '../../http/html';
import { hiddenFlowField, layoutPage } from './layout.page';

export interface AccountPickerPageModel {
  flowId: string;
  action: string;
  accounts: { userId: string; displayName: string; userPrincipalName: string }[];
}

export function accountPickerPage(model: AccountPickerPageModel): string {
  const accounts = model.accounts
    .map(
      (account) =>
        `<button type="submit" name="account" value="${escapeHtml(account.userId)}" class="account">${escapeHtml(account.displayName)}<span class="upn">${escapeHtml(account.userPrincipalName)}</span></button>`,
    )
    .join('\n  ');
  return layoutPage({
    title: 'Pick an account',
    page: 'select-account',
    body: `
<h1>Pick an account</h1>
<form method="post" action="${escapeHtml(model.action)}">
  ${hiddenFlowField(model.flowId)}
  ${accounts}
  <button type="submit" name="account" value="other" class="account">Use another account</button>
</form>`,
  });
}
