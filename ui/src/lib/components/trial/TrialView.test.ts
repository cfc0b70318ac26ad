import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  answerSurvey,
  dismissSurvey,
  evidenceConsent,
  helpDiagnostics,
  helpRequests,
  openSurvey,
  sendHelp,
  setEvidenceConsent,
  submitSurvey,
  surveyDue,
  whatWeCollect,
  type SurveyDue,
} from '../../ipc';
import { collected, consentFixture, diagnosticsFixture, fakeSurvey } from './fixtures';
import { AppState } from '../../state/app.svelte';
import { appContext } from '../../state/context';
import TrialView from './TrialView.svelte';

// The one door to the Rust core: the trial's commands are mocked, errorMessage stays real.
vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  evidenceConsent: vi.fn(),
  setEvidenceConsent: vi.fn(),
  whatWeCollect: vi.fn(),
  surveyDue: vi.fn(),
  openSurvey: vi.fn(),
  answerSurvey: vi.fn(),
  submitSurvey: vi.fn(),
  dismissSurvey: vi.fn(),
  helpDiagnostics: vi.fn(),
  helpRequests: vi.fn(),
  sendHelp: vi.fn(),
}));

const mocked = {
  evidenceConsent: vi.mocked(evidenceConsent),
  setEvidenceConsent: vi.mocked(setEvidenceConsent),
  whatWeCollect: vi.mocked(whatWeCollect),
  surveyDue: vi.mocked(surveyDue),
  openSurvey: vi.mocked(openSurvey),
  answerSurvey: vi.mocked(answerSurvey),
  submitSurvey: vi.mocked(submitSurvey),
  dismissSurvey: vi.mocked(dismissSurvey),
  helpDiagnostics: vi.mocked(helpDiagnostics),
  helpRequests: vi.mocked(helpRequests),
  sendHelp: vi.mocked(sendHelp),
};

const due: SurveyDue = { surveyId: 'baseline', key: 'baseline', title: 'Before you start' };

function card(name: string): HTMLElement {
  return screen.getByRole('region', { name });
}

function renderTrial() {
  return render(TrialView, { context: appContext(new AppState()) });
}

async function renderLoaded() {
  const result = renderTrial();
  await screen.findByText('M-7F3K');
  return result;
}

describe('TrialView', () => {
  beforeEach(() => {
    for (const mock of Object.values(mocked)) mock.mockReset();
    mocked.evidenceConsent.mockResolvedValue(consentFixture());
    mocked.surveyDue.mockResolvedValue(due);
    mocked.whatWeCollect.mockResolvedValue(collected);
    mocked.helpDiagnostics.mockResolvedValue(diagnosticsFixture);
    mocked.helpRequests.mockResolvedValue([]);
    mocked.dismissSurvey.mockResolvedValue(undefined);
    mocked.submitSurvey.mockResolvedValue(undefined);
  });

  it('shows the member’s requests for help with the service desk’s answer', async () => {
    mocked.helpRequests.mockResolvedValue([
      {
        id: 'r1',
        category: 'Signing in',
        createdAt: '2026-10-20T09:00:00Z',
        waiting: false,
        status: 'Resolved',
        resolvedOn: '2026-10-21',
        answer: 'Your phone’s clock was wrong.',
      },
    ]);
    await renderLoaded();
    const requests = await screen.findByRole('list', { name: 'Your requests' });
    expect(within(requests).getByText('Resolved')).toBeTruthy();
    expect(within(requests).getByText(/The service desk says: Your phone’s clock was wrong\./)).toBeTruthy();
  });

  it('shows the due survey, help, the member’s trial code and their choices', async () => {
    await renderLoaded();

    expect(screen.getByRole('heading', { level: 2, name: 'Trial' }).hasAttribute('data-section-heading')).toBe(true);
    const surveys = card('Surveys');
    expect(within(surveys).getByText('Before you start')).toBeTruthy();
    const start = within(surveys).getByRole('button', { name: 'Start' });
    expect(document.getElementById(start.getAttribute('aria-describedby') ?? '')?.textContent).toBe('Before you start');
    expect(within(surveys).getByRole('button', { name: 'Not now' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Get help' })).toBeTruthy();
    expect(screen.getByText('Your trial code:').textContent).toBe('Your trial code: M-7F3K');
    expect(screen.getByRole('button', { name: 'What we collect' })).toBeTruthy();
    expect((screen.getByRole('checkbox', { name: 'Ask me to answer short surveys' }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('checkbox', { name: 'Send a monthly usage report' }) as HTMLInputElement).checked).toBe(false);
  });

  it('says when there is no survey, and why when the member chose none', async () => {
    mocked.surveyDue.mockResolvedValue(null);
    const first = await renderLoaded();
    expect(within(card('Surveys')).getByText('There is no survey for you to answer just now.')).toBeTruthy();
    first.unmount();

    mocked.evidenceConsent.mockResolvedValue(consentFixture({ surveys: false }));
    await renderLoaded();
    expect(within(card('Surveys')).getByText(/You have chosen not to answer surveys/)).toBeTruthy();
  });

  it('puts a survey aside with Not now and says so', async () => {
    await renderLoaded();
    mocked.surveyDue.mockResolvedValue(null);

    await fireEvent.click(screen.getByRole('button', { name: 'Not now' }));

    expect(mocked.dismissSurvey).toHaveBeenCalledWith('baseline');
    const notice = await screen.findByText('You have put aside “Before you start”. It will not be offered again.');
    await waitFor(() => expect(document.activeElement).toBe(notice.closest('.trial-done')));
    expect(screen.queryByRole('button', { name: 'Start' })).toBeNull();
    expect(openSurvey).not.toHaveBeenCalled();
  });

  it('keeps the survey offered when putting it aside fails', async () => {
    await renderLoaded();
    mocked.dismissSurvey.mockRejectedValueOnce({ kind: 'storage', message: 'It could not be saved' });

    await fireEvent.click(screen.getByRole('button', { name: 'Not now' }));

    expect((await screen.findByRole('alert')).textContent).toContain('It could not be saved.');
    expect(screen.getByRole('button', { name: 'Start' })).toBeTruthy();
  });

  it('runs the survey in its place and comes back with thanks once it is sent', async () => {
    const core = fakeSurvey(['confidence']);
    mocked.openSurvey.mockResolvedValue(core.view());
    mocked.answerSurvey.mockImplementation(core.answer);
    await renderLoaded();

    await fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    expect(await screen.findByRole('heading', { level: 2, name: 'Before you start' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Trial' })).toBeNull();
    await fireEvent.click(await screen.findByLabelText('Strongly agree'));
    await fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    mocked.surveyDue.mockResolvedValue(null);
    await fireEvent.click(await screen.findByRole('button', { name: 'Send' }));

    expect(mocked.submitSurvey).toHaveBeenCalledWith('r1', 'baseline');
    const thanks = await screen.findByText('Thank you. Your answers will be sent the next time the app updates.');
    await waitFor(() => expect(document.activeElement).toBe(thanks.closest('.trial-done')));
    expect(screen.getByRole('heading', { level: 2, name: 'Trial' })).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Start' })).toBeNull());
  });

  it('returns to the Start button when the member finishes a survey later', async () => {
    mocked.openSurvey.mockResolvedValue(fakeSurvey().view());
    await renderLoaded();

    await fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    await fireEvent.click(await screen.findByRole('button', { name: 'Finish later' }));

    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Start' })));
    expect(mocked.submitSurvey).not.toHaveBeenCalled();
  });

  it('opens the help form, shows what is sent with it, and comes back to Get help', async () => {
    await renderLoaded();

    await fireEvent.click(screen.getByRole('button', { name: 'Get help' }));

    const heading = await screen.findByRole('heading', { level: 2, name: 'Get help' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(await screen.findByText('App version')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Get help' })));
    expect(mocked.sendHelp).not.toHaveBeenCalled();
  });

  it('opens the What we collect page and comes back to its link', async () => {
    await renderLoaded();

    await fireEvent.click(screen.getByRole('button', { name: 'What we collect' }));

    const heading = await screen.findByRole('heading', { level: 2, name: 'What we collect' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(await screen.findByText('Never collected')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Back to Trial' }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'What we collect' })));
  });

  it('changes the member’s choices and checks again for a survey', async () => {
    await renderLoaded();
    mocked.setEvidenceConsent.mockResolvedValue(consentFixture({ surveys: false, usageReports: true }));
    mocked.surveyDue.mockResolvedValue(null);

    await fireEvent.click(screen.getByRole('checkbox', { name: 'Ask me to answer short surveys' }));
    await fireEvent.click(screen.getByRole('checkbox', { name: 'Send a monthly usage report' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Save choices' }));

    expect(mocked.setEvidenceConsent).toHaveBeenCalledWith(false, true);
    expect(await screen.findByText('Your choices have been saved.')).toBeTruthy();
    await waitFor(() => expect(within(card('Surveys')).getByText(/You have chosen not to answer surveys/)).toBeTruthy());
    expect(screen.getByText('Your trial code:').textContent).toBe('Your trial code: M-7F3K');
  });

  it('explains when the member’s choices or the surveys could not be loaded', async () => {
    mocked.evidenceConsent.mockRejectedValueOnce({ kind: 'storage', message: 'The trial’s records could not be read' });
    mocked.surveyDue.mockRejectedValueOnce({ kind: 'storage', message: 'The schedule could not be read' });
    renderTrial();

    const alerts = await screen.findAllByRole('alert');
    expect(alerts.map((alert) => alert.textContent)).toEqual([
      'Surveys could not be checked. The schedule could not be read.',
      'Your choices could not be loaded. The trial’s records could not be read.',
    ]);
    await fireEvent.click(within(card('Your part in the trial')).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('M-7F3K')).toBeTruthy();
  });
});
