// The council trial's view of the core: the member's consent, the survey due, a survey being
// answered, what the trial collects, and requests for help.
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
  toBackendError,
  type BackendError,
  type CollectedItem,
  type Consent,
  type DiagnosticLine,
  type HelpCategory,
  type HelpRequestItem,
  type SurveyAnswer,
  type SurveyDue,
  type SurveyQuestion,
  type SurveyView,
} from '../ipc';
import { Resource, type ErrorReport } from './resource.svelte';
import { Task } from './task.svelte';

/**
 * One survey being answered. Every answer is saved in the core at once, one after another, and
 * the core answers with the questions now asked. A choice overtaken by a newer one for the same
 * question (arrow keys in a radio group) is never sent.
 */
export class SurveyResponse {
  readonly due: SurveyDue;
  readonly survey: Resource<SurveyView>;
  readonly sending: Task;
  /** Choices made but not yet answered by the core, so the screen follows the member at once. */
  drafts = $state<Record<string, SurveyAnswer | null>>({});
  /** The answer that could not be saved. */
  saveError = $state.raw<{ questionId: string; error: BackendError } | null>(null);

  readonly #report: ErrorReport;
  #queue: Promise<void> = Promise.resolve();
  /** The newest save asked for each question: an older one still waiting is dropped. */
  readonly #newest = new Map<string, object>();

  constructor(due: SurveyDue, report: ErrorReport) {
    this.due = due;
    this.#report = report;
    this.survey = new Resource(report);
    this.sending = new Task(report);
  }

  open(): Promise<boolean> {
    return this.survey.load(() => openSurvey(this.due.surveyId));
  }

  /** The answer on screen: the member's latest choice, else what the core holds. */
  answerOf(question: SurveyQuestion): SurveyAnswer | null {
    return question.id in this.drafts ? (this.drafts[question.id] ?? null) : question.answer;
  }

  /** Saves an answer (null clears it) after any saves before it; resolves once it is done. */
  save(questionId: string, answer: SurveyAnswer | null): Promise<void> {
    const mine = {};
    this.#newest.set(questionId, mine);
    this.drafts[questionId] = answer;
    this.#queue = this.#queue.then(async () => {
      const responseId = this.survey.current?.responseId;
      if (this.#newest.get(questionId) !== mine || responseId === undefined) return;
      try {
        this.survey.set(await answerSurvey(responseId, questionId, answer));
        if (this.saveError?.questionId === questionId) this.saveError = null;
        if (this.#newest.get(questionId) === mine) {
          this.#newest.delete(questionId);
          delete this.drafts[questionId];
        }
      } catch (thrown) {
        const error = toBackendError(thrown);
        this.#report(error);
        if (this.#newest.get(questionId) === mine) this.saveError = { questionId, error };
      }
    });
    return this.#queue;
  }

  /** Resolves once every answer asked for so far has been saved, or has failed. */
  settled(): Promise<void> {
    return this.#queue;
  }

  retrySave(): Promise<void> {
    const failed = this.saveError;
    if (!failed) return this.#queue;
    this.saveError = null;
    return this.save(failed.questionId, this.drafts[failed.questionId] ?? null);
  }

  /** Sends the answers. The core refuses (kind "invalid") while a required question is unanswered. */
  submit(): Promise<boolean> {
    return this.sending.run(async () => {
      await this.#queue;
      const responseId = this.survey.current?.responseId;
      if (responseId !== undefined) await submitSurvey(responseId, this.due.key);
    });
  }
}

export class TrialState {
  /** Null until the member has answered the first-run consent screen. */
  readonly consent: Resource<Consent | null>;
  readonly due: Resource<SurveyDue | null>;
  readonly collected: Resource<CollectedItem[]>;
  /** What a help request carries besides the member's words. */
  readonly diagnostics: Resource<DiagnosticLine[]>;
  /** The member's requests for help, with the service desk's answers. */
  readonly helpRequests: Resource<HelpRequestItem[]>;
  readonly savingConsent: Task;
  readonly dismissing: Task;
  readonly sendingHelp: Task;

  readonly #report: ErrorReport;

  constructor(report: ErrorReport) {
    this.#report = report;
    this.consent = new Resource(report);
    this.due = new Resource(report);
    this.collected = new Resource(report);
    this.diagnostics = new Resource(report);
    this.helpRequests = new Resource(report);
    this.savingConsent = new Task(report);
    this.dismissing = new Task(report);
    this.sendingHelp = new Task(report);
  }

  /**
   * The core has said whether consent was given. If it could not say, the app opens anyway:
   * nothing is collected without consent in the core, and the Trial section offers the choices.
   */
  get consentChecked(): boolean {
    return this.consent.loaded || this.consent.error !== null || this.consent.offline;
  }

  /** The member has not answered the first-run consent screen yet. */
  get consentNeeded(): boolean {
    return this.consent.current === null;
  }

  checkConsent(): Promise<boolean> {
    return this.consent.load(evidenceConsent);
  }

  /** Loads what the Trial section shows first. */
  open(): void {
    if (!this.consent.loaded && !this.consent.loading) void this.checkConsent();
    void this.loadDue();
    void this.helpRequests.load(helpRequests);
  }

  loadDue(): Promise<boolean> {
    return this.due.load(surveyDue);
  }

  loadCollected(): Promise<boolean> {
    return this.collected.load(whatWeCollect);
  }

  loadDiagnostics(): Promise<boolean> {
    return this.diagnostics.load(helpDiagnostics);
  }

  /** Records the member's two choices; the survey due may change with them. */
  async setConsent(surveys: boolean, usageReports: boolean): Promise<boolean> {
    const saved = await this.savingConsent.run(async () => {
      await this.consent.change(() => setEvidenceConsent(surveys, usageReports));
    });
    if (saved) void this.due.refresh();
    return saved;
  }

  /** "Not now": the survey is not offered again. */
  async dismiss(survey: SurveyDue): Promise<boolean> {
    const dismissed = await this.dismissing.run(() => dismissSurvey(survey.key));
    if (dismissed) this.#surveyGone();
    return dismissed;
  }

  /** A survey to answer, opened (or resumed where the member stopped). */
  openSurvey(due: SurveyDue): SurveyResponse {
    const response = new SurveyResponse(due, this.#report);
    void response.open();
    return response;
  }

  /** The survey was sent: it is no longer due. */
  surveySent(): void {
    this.#surveyGone();
  }

  /** Queues a help request (delivered with the next update). Resolves with its id, or null. */
  async sendHelp(category: HelpCategory, description: string): Promise<string | null> {
    let requestId = null as string | null;
    await this.sendingHelp.run(async () => {
      requestId = await sendHelp(category, description);
    });
    if (requestId !== null) {
      void this.due.refresh();
      void this.helpRequests.refresh();
    }
    return requestId;
  }

  /** The core's trial records changed (a survey became due, consent changed elsewhere). */
  changed(): void {
    void this.consent.refresh();
    void this.due.refresh();
    if (this.helpRequests.loaded) void this.helpRequests.refresh();
  }

  reset(): void {
    for (const resource of [this.consent, this.due, this.collected, this.diagnostics, this.helpRequests]) resource.clear();
  }

  #surveyGone(): void {
    this.due.set(null);
    void this.loadDue();
  }
}
