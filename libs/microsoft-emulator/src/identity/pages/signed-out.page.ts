import { layoutPage } from './layout.page';

export function signedOutPage(): string {
  return layoutPage({
    title: 'Sign out',
    page: 'signed-out',
    body: `
<h1>You signed out of your account</h1>
<p>It's a good idea to close all browser windows.</p>`,
  });
}
