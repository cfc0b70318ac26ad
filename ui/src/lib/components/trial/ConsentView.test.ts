import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { setEvidenceConsent, whatWeCollect } from '../../ipc';
import { AppState } from '../../state/app.svelte';
import { appContext } from '../../state/context';
import ConsentView from './ConsentView.svelte';
import { collected, consentFixture, deferred } from './fixtures';

// The one door to the Rust core: the consent commands are mocked, errorMessage stays real.
vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  setEvidenceConsent: vi.fn(),
  whatWeCollect: vi.fn(),
}));

const mocked = {
  setEvidenceConsent: vi.mocked(setEvidenceConsent),
  whatWeCollect: vi.mocked(whatWeCollect),
};

function renderConsent(props: { onanswered: () => void }) {
  return render(ConsentView, { props, context: appContext(new AppState()) });
}

function checkbox(name: string): HTMLInputElement {
  return screen.getByRole('checkbox', { name }) as HTMLInputElement;
}

describe('ConsentView', () => {
  beforeEach(() => {
    mocked.setEvidenceConsent.mockReset();
    mocked.whatWeCollect.mockReset().mockResolvedValue(collected);
  });

  it('explains the trial, focuses its heading and shows what is collected', async () => {
    renderConsent({ onanswered: vi.fn() });

    const heading = screen.getByRole('heading', { level: 2, name: 'Taking part in the trial' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(screen.getByText(/four-month council trial/)).toBeTruthy();
    expect(screen.getByRole('heading', { level: 3, name: 'What we collect' })).toBeTruthy();
    const never = await screen.findByText('Never collected');
    expect(never.tagName).toBe('DT');
    expect(never.nextElementSibling?.textContent).toContain('The content of your email');
  });

  it('starts with both choices unticked, each with its explanation', () => {
    renderConsent({ onanswered: vi.fn() });

    expect(screen.getByRole('group', { name: 'Your choices' })).toBeTruthy();
    const surveys = checkbox('Ask me to answer short surveys');
    const usage = checkbox('Send a monthly usage report');
    expect(surveys.checked).toBe(false);
    expect(usage.checked).toBe(false);
    expect(document.getElementById(surveys.getAttribute('aria-describedby') ?? '')?.textContent).toContain(
      'About once a month',
    );
    expect(document.getElementById(usage.getAttribute('aria-describedby') ?? '')?.textContent).toContain('Figures only');
  });

  it('lets the member continue with neither ticked', async () => {
    const answer = consentFixture({ surveys: false, usageReports: false });
    mocked.setEvidenceConsent.mockResolvedValue(answer);
    const onanswered = vi.fn();
    renderConsent({ onanswered });

    await fireEvent.click(screen.getByRole('button', { name: 'Continue' }));

    expect(mocked.setEvidenceConsent).toHaveBeenCalledWith(false, false);
    await waitFor(() => expect(onanswered).toHaveBeenCalledWith(answer));
  });

  it('records the member’s choices', async () => {
    mocked.setEvidenceConsent.mockResolvedValue(consentFixture({ surveys: true, usageReports: true }));
    const onanswered = vi.fn();
    renderConsent({ onanswered });

    await fireEvent.click(checkbox('Ask me to answer short surveys'));
    await fireEvent.click(checkbox('Send a monthly usage report'));
    await fireEvent.click(screen.getByRole('button', { name: 'Continue' }));

    expect(mocked.setEvidenceConsent).toHaveBeenCalledWith(true, true);
    await waitFor(() => expect(onanswered).toHaveBeenCalledTimes(1));
  });

  it('stays and explains when the choices could not be saved', async () => {
    const answer = deferred<ReturnType<typeof consentFixture>>();
    mocked.setEvidenceConsent.mockReturnValueOnce(answer.promise);
    const onanswered = vi.fn();
    renderConsent({ onanswered });

    await fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(screen.getByRole('button', { name: 'Continue' }).getAttribute('aria-busy')).toBe('true');
    answer.reject({ kind: 'storage', message: 'The choices could not be saved on this phone' });

    expect((await screen.findByRole('alert')).textContent).toContain('The choices could not be saved on this phone.');
    expect(onanswered).not.toHaveBeenCalled();
  });
});
