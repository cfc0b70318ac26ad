import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import SignInView from './SignInView.svelte';
import { evidenceConsent, signIn, type AccountStatus } from '../../ipc';
import { AppState } from '../../state/app.svelte';
import { appContext } from '../../state/context';

vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  signIn: vi.fn(),
  evidenceConsent: vi.fn(),
}));

let app: AppState;

function renderSignIn(props: { problem?: string; onsignedin?: () => void } = {}) {
  app = new AppState();
  return render(SignInView, { props, context: appContext(app) });
}

const mockedSignIn = vi.mocked(signIn);

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function signInButton(): HTMLElement {
  return screen.getByRole('button', { name: 'Sign in with your council account' });
}

describe('SignInView', () => {
  beforeEach(() => {
    mockedSignIn.mockReset();
    vi.mocked(evidenceConsent).mockReset().mockResolvedValue(null);
  });

  it('says what the app is and offers to sign in with the council account', () => {
    renderSignIn();

    expect(screen.getByRole('heading', { level: 2, name: 'Your council email, calendar and contacts' })).toBeTruthy();
    expect(screen.getByText(/puts your council mail, calendar and contacts on your phone/)).toBeTruthy();
    expect(signInButton().getAttribute('aria-describedby')).toBeTruthy();
    expect(screen.getByRole('alert').textContent?.trim()).toBe('');
  });

  it('waits with a spinner and a message while the member finishes in the browser, then signs the app in', async () => {
    const answer = deferred<AccountStatus>();
    mockedSignIn.mockReturnValue(answer.promise);
    const onsignedin = vi.fn();
    renderSignIn({ onsignedin });

    await fireEvent.click(signInButton());

    const waiting = screen.getByRole('status');
    expect(waiting.textContent).toContain('Finish signing in in your browser…');
    expect(waiting.querySelector('.spinner')?.getAttribute('aria-hidden')).toBe('true');
    expect(signInButton().getAttribute('aria-disabled')).toBe('true');
    expect(screen.queryByRole('button', { name: /Cancel/ })).toBeNull();

    // Pressing again while waiting does not start a second sign-in.
    await fireEvent.click(signInButton());
    expect(mockedSignIn).toHaveBeenCalledOnce();

    const status: AccountStatus = {
      state: 'signedIn',
      demo: false,
      member: { displayName: 'Cllr Sam Okafor', mail: 'sam.okafor@council.example' },
    };
    answer.resolve(status);
    await waitFor(() => expect(onsignedin).toHaveBeenCalledOnce());
    expect(app.account.member).toEqual(status.state === 'signedIn' ? status.member : null);
    // What to show next depends on the trial's consent, so it has been checked.
    expect(evidenceConsent).toHaveBeenCalledOnce();
    expect(screen.getByRole('status').textContent?.trim()).toBe('');
  });

  it.each([
    ['the member closed the browser', { kind: 'signInFailed', message: 'Sign-in was cancelled in the browser' }, 'Sign-in was cancelled in the browser.'],
    ['the account is not a council one', { kind: 'signInFailed', message: 'That account is not a council account. Use the account the council gave you.' }, 'That account is not a council account. Use the account the council gave you.'],
    ['the council cannot be reached', { kind: 'offline', message: 'The council could not be reached. Check your connection and try again.' }, 'The council could not be reached. Check your connection and try again.'],
    ['the wait ran out', { kind: 'signInFailed', message: 'Sign-in took too long' }, 'Sign-in took too long.'],
  ])('shows the core’s own sentence when %s', async (_case, failure, shown) => {
    mockedSignIn.mockRejectedValue(failure);
    renderSignIn();

    await fireEvent.click(signInButton());

    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain(shown));
    expect(signInButton().getAttribute('aria-disabled')).toBeNull();
  });

  it('hides a technical failure behind a plain message', async () => {
    mockedSignIn.mockRejectedValue(new TypeError('window.__TAURI_INTERNALS__ is undefined'));
    renderSignIn();

    await fireEvent.click(signInButton());

    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Something went wrong. Please try again.'));
    expect(screen.getByRole('alert').textContent).not.toContain('__TAURI_INTERNALS__');
  });

  it('shows the problem from a signed-out status', () => {
    renderSignIn({ problem: 'Your council account has been disabled. Contact the IT service desk.' });

    expect(screen.getByRole('alert').textContent).toContain(
      'Your council account has been disabled. Contact the IT service desk.',
    );
  });

  it('clears an old failure when the member tries again', async () => {
    mockedSignIn
      .mockRejectedValueOnce({ kind: 'signInFailed', message: 'Sign-in took too long.' })
      .mockReturnValueOnce(new Promise<AccountStatus>(() => {}));
    renderSignIn();

    await fireEvent.click(signInButton());
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Sign-in took too long.'));

    await fireEvent.click(signInButton());
    expect(screen.getByRole('alert').textContent?.trim()).toBe('');
    expect(screen.getByRole('status').textContent).toContain('Finish signing in in your browser…');
  });
});
