import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { answerSurvey, openSurvey, submitSurvey, type SurveyDue } from '../../ipc';
import { deferred, fakeSurvey } from './fixtures';
import { AppState } from '../../state/app.svelte';
import { appContext } from '../../state/context';
import SurveyPlayer from './SurveyPlayer.svelte';

// The one door to the Rust core: the survey commands are mocked, errorMessage stays real.
vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  openSurvey: vi.fn(),
  answerSurvey: vi.fn(),
  submitSurvey: vi.fn(),
}));

const mocked = {
  openSurvey: vi.mocked(openSurvey),
  answerSurvey: vi.mocked(answerSurvey),
  submitSurvey: vi.mocked(submitSurvey),
};

const due: SurveyDue = { surveyId: 'baseline', key: 'baseline', title: 'Before you start' };

/** The player for the survey due, as the Trial section opens it. */
function renderSurvey(onsent: () => void, onclose: () => void) {
  const app = new AppState();
  const response = app.trial.openSurvey(due);
  return render(SurveyPlayer, { props: { response, onsent, onclose }, context: appContext(app) });
}

/** Renders the player over a fake core; `preset` answers make it resume part-way. */
async function renderPlayer(preset: Record<string, string | number | string[]> = {}) {
  const core = fakeSurvey();
  for (const [id, value] of Object.entries(preset)) core.answers.set(id, value);
  mocked.openSurvey.mockResolvedValue(core.view());
  mocked.answerSurvey.mockImplementation(core.answer);
  const onsent = vi.fn();
  const onclose = vi.fn();
  const result = renderSurvey(onsent, onclose);
  // A question, or the summary when every question has an answer.
  await screen.findByRole('heading', { level: 3 });
  return { ...result, core, onsent, onclose };
}

function questionGroup(): HTMLElement {
  return screen.getByRole('group');
}

function progress(): string {
  return screen.getByText(/^Question \d+ of \d+$/).textContent ?? '';
}

async function next(): Promise<void> {
  await fireEvent.click(screen.getByRole('button', { name: 'Next' }));
}

describe('SurveyPlayer', () => {
  beforeEach(() => {
    mocked.openSurvey.mockReset();
    mocked.answerSurvey.mockReset();
    mocked.submitSurvey.mockReset().mockResolvedValue(undefined);
  });

  it('opens the survey with its title focused, the introduction and the first question as a fieldset', async () => {
    await renderPlayer();

    const title = screen.getByRole('heading', { level: 2, name: 'Before you start' });
    await waitFor(() => expect(document.activeElement).toBe(title));
    expect(screen.getByText(/Six questions about how you work now/)).toBeTruthy();
    expect(progress()).toBe('Question 1 of 4');
    const group = questionGroup();
    expect(group.tagName).toBe('FIELDSET');
    expect(group.querySelector('legend')?.textContent).toContain('How do you read council email today?');
    expect(within(group).getAllByRole('checkbox')).toHaveLength(3);
    expect(mocked.openSurvey).toHaveBeenCalledWith('baseline');
    expect(screen.queryByRole('button', { name: 'Back' })).toBeNull();
  });

  it('saves each answer at once and moves focus to the next question’s heading', async () => {
    await renderPlayer();

    await fireEvent.click(screen.getByLabelText('Council laptop'));
    await fireEvent.click(screen.getByLabelText('Printed copies'));
    await waitFor(() => expect(mocked.answerSurvey).toHaveBeenCalledTimes(2));
    expect(mocked.answerSurvey).toHaveBeenNthCalledWith(1, 'r1', 'device', ['Council laptop']);
    expect(mocked.answerSurvey).toHaveBeenNthCalledWith(2, 'r1', 'device', ['Council laptop', 'Printed copies']);

    await next();

    const heading = await screen.findByRole('heading', { level: 3, name: /I feel confident using a smartphone/ });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(progress()).toBe('Question 2 of 4');
    await fireEvent.click(screen.getByLabelText('Agree'));
    await waitFor(() => expect(mocked.answerSurvey).toHaveBeenLastCalledWith('r1', 'confidence', 'Agree'));
  });

  it('will not skip a required question: the error is tied to the question and focus goes to its first choice', async () => {
    await renderPlayer();

    await next();

    const group = questionGroup();
    const error = await screen.findByText('Tick at least one answer to carry on.');
    expect(group.getAttribute('aria-describedby')?.split(' ')).toContain(error.closest('p')?.id);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Council laptop')));
    expect(progress()).toBe('Question 1 of 4');
    expect(mocked.answerSurvey).not.toHaveBeenCalled();

    // Answering clears the error and lets the member carry on.
    await fireEvent.click(screen.getByLabelText('My own phone'));
    expect(screen.queryByText('Tick at least one answer to carry on.')).toBeNull();
    await next();
    expect(await screen.findByText('Question 2 of 4')).toBeTruthy();
  });

  it('follows the core’s branching: a question added by an answer is counted and asked next', async () => {
    await renderPlayer({ device: ['Council laptop'], confidence: 'Agree' });
    expect(progress()).toBe('Question 3 of 4');
    expect(questionGroup().querySelector('legend')?.textContent).toContain('have you missed council information');

    await fireEvent.click(screen.getByLabelText('Yes'));

    await waitFor(() => expect(progress()).toBe('Question 3 of 5'));
    await next();
    const heading = await screen.findByRole('heading', { level: 3, name: /What did you miss\? \(optional\)/ });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(progress()).toBe('Question 4 of 5');
    expect(screen.getByRole('textbox', { name: 'What did you miss? (optional)' })).toBeTruthy();

    // Changing the answer takes the question away again.
    await fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    await fireEvent.click(await screen.findByLabelText('No'));
    await waitFor(() => expect(progress()).toBe('Question 3 of 4'));
    await next();
    expect(await screen.findByRole('heading', { level: 3, name: /How likely are you to recommend/ })).toBeTruthy();
    expect(progress()).toBe('Question 4 of 4');
  });

  it('offers 0 to 10 with the end labels for the recommend question', async () => {
    await renderPlayer({ device: ['Council laptop'], confidence: 'Agree', 'missed-info': 'No' });

    const group = questionGroup();
    const scores = within(group).getAllByRole('radio');
    expect(scores).toHaveLength(11);
    expect(screen.getByRole('radio', { name: /^0 ?\(not at all likely\)$/ })).toBe(scores[0]);
    expect(screen.getByRole('radio', { name: /^10 ?\(extremely likely\)$/ })).toBe(scores[10]);
    const hint = screen.getByText('0 means not at all likely and 10 means extremely likely.');
    expect(group.getAttribute('aria-describedby')?.split(' ')).toContain(hint.id);

    await fireEvent.click(screen.getByRole('radio', { name: '8' }));
    await waitFor(() => expect(mocked.answerSurvey).toHaveBeenCalledWith('r1', 'recommend', 8));
  });

  it('counts the characters of free text and will not save too many', async () => {
    await renderPlayer({ device: ['Council laptop'], confidence: 'Agree', 'missed-info': 'Yes' });
    expect(progress()).toBe('Question 4 of 5');
    const box = screen.getByRole('textbox');
    const count = screen.getByText('You have 20 characters left');
    expect(box.getAttribute('aria-describedby')).toBe(count.id);

    await fireEvent.input(box, { target: { value: 'A planning meeting that moved' } });
    expect(screen.getByText('You have 9 characters too many')).toBeTruthy();
    await next();

    expect(await screen.findByText(/Your answer is 9 characters too long/)).toBeTruthy();
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect(mocked.answerSurvey).not.toHaveBeenCalled();
    expect(progress()).toBe('Question 4 of 5');
  });

  it('shows every answer, free text included, before anything is sent, then sends it', async () => {
    const { onsent } = await renderPlayer({ device: ['Council laptop', 'Printed copies'], confidence: 'Agree', 'missed-info': 'Yes' });

    await fireEvent.input(screen.getByRole('textbox'), { target: { value: 'Site visit moved' } });
    await next();
    await waitFor(() => expect(mocked.answerSurvey).toHaveBeenCalledWith('r1', 'missed-example', 'Site visit moved'));
    await fireEvent.click(await screen.findByRole('radio', { name: '9' }));
    await next();

    const heading = await screen.findByRole('heading', { level: 3, name: 'Check your answers' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(mocked.submitSurvey).not.toHaveBeenCalled();
    expect(screen.getByText(/your own words are sent exactly as shown here/)).toBeTruthy();
    const freeText = screen.getByText('Site visit moved');
    expect(freeText.tagName).toBe('DD');
    expect(freeText.previousElementSibling?.textContent).toBe('What did you miss? (optional)');
    expect(screen.getByText('Council laptop, Printed copies')).toBeTruthy();
    expect(screen.getByText('9 out of 10')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Change: What did you miss? (optional)' })).toBeTruthy();

    await fireEvent.click(screen.getByRole('button', { name: 'Send' }));

    expect(mocked.submitSurvey).toHaveBeenCalledWith('r1', 'baseline');
    await waitFor(() => expect(onsent).toHaveBeenCalledTimes(1));
  });

  it('goes back to a question from the summary to change it', async () => {
    await renderPlayer({ device: ['Council laptop'], confidence: 'Agree', 'missed-info': 'No', recommend: 7 });
    expect(await screen.findByRole('heading', { name: 'Check your answers' })).toBeTruthy();

    await fireEvent.click(screen.getByRole('button', { name: /^Change: I feel confident/ }));

    expect(await screen.findByText('Question 2 of 4')).toBeTruthy();
    expect((screen.getByLabelText('Agree') as HTMLInputElement).checked).toBe(true);
  });

  it('explains when the core will not send the answers and keeps them', async () => {
    await renderPlayer({ device: ['Council laptop'], confidence: 'Agree', 'missed-info': 'No', recommend: 7 });
    mocked.submitSurvey.mockRejectedValueOnce({ kind: 'invalid', message: 'please answer: “How do you read council email today?”' });

    await fireEvent.click(await screen.findByRole('button', { name: 'Send' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Your answers have not been sent');
    expect(alert.textContent).toContain('Please answer: “How do you read council email today?”.');
    await waitFor(() => expect(document.activeElement).toBe(alert));
    expect(screen.getByRole('heading', { name: 'Check your answers' })).toBeTruthy();
  });

  it('sends only the newest of quickly changed choices', async () => {
    const { core } = await renderPlayer({ device: ['Council laptop'] });
    const first = deferred<Awaited<ReturnType<typeof answerSurvey>>>();
    mocked.answerSurvey.mockImplementationOnce(() => first.promise);

    await fireEvent.click(screen.getByLabelText('Disagree'));
    await fireEvent.click(screen.getByLabelText('Neither agree nor disagree'));
    await fireEvent.click(screen.getByLabelText('Agree'));
    expect((screen.getByLabelText('Agree') as HTMLInputElement).checked).toBe(true);

    core.answers.set('confidence', 'Disagree');
    first.resolve(core.view());
    await waitFor(() => expect(mocked.answerSurvey).toHaveBeenCalledTimes(2));
    expect(mocked.answerSurvey).toHaveBeenLastCalledWith('r1', 'confidence', 'Agree');
    await waitFor(() => expect(core.answers.get('confidence')).toBe('Agree'));
  });

  it('says so when an answer could not be saved, and does not move on', async () => {
    await renderPlayer();
    mocked.answerSurvey.mockRejectedValueOnce({ kind: 'storage', message: 'The answers could not be saved on this phone' });

    await fireEvent.click(screen.getByLabelText('Council laptop'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The answers could not be saved on this phone.');
    await next();
    expect(progress()).toBe('Question 1 of 4');

    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    await next();
    expect(await screen.findByText('Question 2 of 4')).toBeTruthy();
  });

  it('lets the member finish later, saving what was typed', async () => {
    const { onclose } = await renderPlayer({ device: ['Council laptop'], confidence: 'Agree', 'missed-info': 'Yes' });

    await fireEvent.input(screen.getByRole('textbox'), { target: { value: 'Half a thought' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Finish later' }));

    await waitFor(() => expect(onclose).toHaveBeenCalledTimes(1));
    expect(mocked.answerSurvey).toHaveBeenCalledWith('r1', 'missed-example', 'Half a thought');
  });

  it('explains when the survey cannot be opened', async () => {
    mocked.openSurvey.mockRejectedValue({ kind: 'notFound', message: 'That survey was not found' });
    const onclose = vi.fn();
    renderSurvey(vi.fn(), onclose);

    expect((await screen.findByRole('alert')).textContent).toContain('That survey was not found.');
    await fireEvent.click(screen.getByRole('button', { name: 'Back to Trial' }));
    expect(onclose).toHaveBeenCalled();
  });
});
