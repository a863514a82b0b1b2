import { escapeHtml, pageShell } from './page-style.js';

/** The sign-in page: the admin token, and Entra ID when configured. */
export function renderSignIn(args: { csrf: string; entra: boolean; error?: string }): string {
  return pageShell(
    'cosell-sync: sign in',
    `<h1>cosell-sync</h1><h2>Sign in</h2>
${args.error === undefined ? '' : `<p class="bad" role="alert">${escapeHtml(args.error)}</p>`}
${args.entra ? '<p><a href="/auth/entra">Sign in with Microsoft Entra ID</a></p><p class="muted">or with the admin token:</p>' : ''}
<form method="post" action="/signin">
<input type="hidden" name="_csrf" value="${escapeHtml(args.csrf)}">
<p><label>Admin token <input type="password" name="token" autocomplete="off" required></label></p>
<p><button type="submit">Sign in</button></p>
</form>
<p class="muted">The token is COSELL_ADMIN_TOKEN, or the generated one in the file the daemon's log names at start.</p>`,
  );
}
