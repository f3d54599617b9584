/// <reference lib="dom" />
import { TokenRejectedError } from './api-client.js';
import { byId, InspectorPage } from './inspector-page.js';

/**
 * Reads `#token=` from the URL fragment and removes it from the address bar, so the token stays
 * out of history and is never sent to the server in a URL.
 */
function takeTokenFromFragment(): string | null {
  const parameters = new URLSearchParams(location.hash.slice(1));
  const token = parameters.get('token');
  if (token === null || token === '') return null;
  history.replaceState(null, '', location.pathname);
  return token;
}

function showTokenForm(message: string): void {
  byId('views').hidden = true;
  byId('token-form').hidden = false;
  byId('token-error').textContent = message;
  const status = byId('status');
  status.dataset.state = message === '' ? 'connecting' : 'rejected';
  status.textContent = message === '' ? 'token needed' : 'token rejected';
}

async function connect(token: string): Promise<void> {
  byId('token-form').hidden = true;
  byId('views').hidden = false;
  try {
    await new InspectorPage(token).start();
  } catch (error) {
    if (error instanceof TokenRejectedError) {
      showTokenForm('The server rejected this token. Paste the token that galt run printed.');
      return;
    }
    throw error;
  }
}

byId('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = byId('token-input') as HTMLInputElement;
  const token = input.value.trim();
  input.value = '';
  void connect(token);
});

const token = takeTokenFromFragment();
if (token === null) showTokenForm('');
else void connect(token);
