// Test fixtures for the trial screens, in the shapes the core sends.
import type { CollectedItem, Consent, DiagnosticLine, SurveyAnswer, SurveyQuestion, SurveyView } from '../../ipc';

export const consentFixture = (overrides: Partial<Consent> = {}): Consent => ({
  givenAt: '2026-11-02T09:00:00Z',
  surveys: true,
  usageReports: false,
  memberCode: 'M-7F3K',
  ...overrides,
});

export const collected: CollectedItem[] = [
  { what: 'Survey answers', detail: 'Your answers to the trial’s short surveys, with a code instead of your name.' },
  { what: 'Requests for help', detail: 'The category and words you write, and the app’s state.' },
  { what: 'Monthly usage', detail: 'How many bytes each part of the app used. Only if you agree.' },
  { what: 'Never collected', detail: 'The content of your email, calendar or contacts, or where you are.' },
];

export const diagnosticsFixture: DiagnosticLine[] = [
  { label: 'App version', value: '0.1.0' },
  { label: 'Phone', value: 'android aarch64' },
  { label: 'Last updated', value: '23 November 2026, 09:12' },
  { label: 'Recent problem codes', value: 'network, gave-up' },
];

export const LIKERT = ['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree'];

const question = (overrides: Partial<SurveyQuestion> & Pick<SurveyQuestion, 'id' | 'text' | 'kind'>): SurveyQuestion => ({
  choices: [],
  maxLength: null,
  required: false,
  answer: null,
  ...overrides,
});

/**
 * A small survey like the shipped baseline: "missed-example" is asked only when "missed-info"
 * is answered "Yes", as the core's branching does.
 */
export const QUESTIONS: Record<string, SurveyQuestion> = {
  device: question({
    id: 'device',
    text: 'How do you read council email today?',
    kind: 'multiple',
    choices: ['Council laptop', 'My own phone', 'Printed copies'],
    required: true,
  }),
  confidence: question({
    id: 'confidence',
    text: 'I feel confident using a smartphone for council work.',
    kind: 'likert',
    choices: LIKERT,
    required: true,
  }),
  'missed-info': question({
    id: 'missed-info',
    text: 'In the last month, have you missed council information because you were away from your laptop?',
    kind: 'single',
    choices: ['Yes', 'No', 'Not sure'],
    required: true,
  }),
  'missed-example': question({
    id: 'missed-example',
    text: 'What did you miss? (optional)',
    kind: 'text',
    maxLength: 20,
  }),
  recommend: question({
    id: 'recommend',
    text: 'How likely are you to recommend the council phone to another member?',
    kind: 'nps',
    choices: Array.from({ length: 11 }, (_, n) => String(n)),
    required: true,
  }),
};

/** Plays the core for one response: keeps the answers and works out which questions are asked. */
export function fakeSurvey(order: string[] = ['device', 'confidence', 'missed-info', 'missed-example', 'recommend']) {
  const answers = new Map<string, SurveyAnswer>();
  const asks = (id: string) => id !== 'missed-example' || answers.get('missed-info') === 'Yes';
  const view = (): SurveyView => {
    const questions = order
      .filter(asks)
      .map((id) => ({ ...QUESTIONS[id]!, answer: answers.get(id) ?? null }));
    return {
      responseId: 'r1',
      surveyId: 'baseline',
      title: 'Before you start',
      intro: 'Six questions about how you work now. It takes about two minutes.',
      questions,
      next: questions.find((q) => q.answer === null)?.id ?? null,
      submitted: false,
    };
  };
  const answer = (_responseId: string, questionId: string, value: SurveyAnswer | null): Promise<SurveyView> => {
    if (value === null) answers.delete(questionId);
    else answers.set(questionId, value);
    if (!asks('missed-example')) answers.delete('missed-example');
    return Promise.resolve(view());
  };
  return { answers, view, answer };
}

export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
