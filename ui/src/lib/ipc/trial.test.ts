import { invoke, isTauri } from '@tauri-apps/api/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  answerSurvey,
  dismissSurvey,
  evidenceConsent,
  helpDiagnostics,
  openSurvey,
  sendHelp,
  setEvidenceConsent,
  submitSurvey,
  surveyDue,
  whatWeCollect,
} from './index';

// Only the IPC module's own tests stand in for the Tauri bridge; components mock `./index` instead.
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn(), isTauri: vi.fn() }));
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }));

const mockedInvoke = vi.mocked(invoke);

describe('the trial evidence wrappers', () => {
  beforeEach(() => {
    mockedInvoke.mockReset().mockResolvedValue(null);
    vi.mocked(isTauri).mockReset().mockReturnValue(true);
  });

  it('send the commands and camelCase arguments the core expects', async () => {
    await evidenceConsent();
    await setEvidenceConsent(true, false);
    await whatWeCollect();
    await surveyDue();
    await openSurvey('baseline');
    await answerSurvey('r1', 'recommend', 8);
    await answerSurvey('r1', 'device', ['Council laptop']);
    await answerSurvey('r1', 'hopes', null);
    await submitSurvey('r1', 'baseline');
    await dismissSurvey('monthly-pulse-2026-12');
    await helpDiagnostics();
    await sendHelp('howTo', 'How do I forward a message?');

    expect(mockedInvoke.mock.calls.map(([name, args]) => [name, args])).toEqual([
      ['evidence_consent', undefined],
      ['evidence_set_consent', { surveys: true, usageReports: false }],
      ['evidence_what_we_collect', undefined],
      ['survey_due', undefined],
      ['survey_open', { surveyId: 'baseline' }],
      ['survey_answer', { responseId: 'r1', questionId: 'recommend', answer: 8 }],
      ['survey_answer', { responseId: 'r1', questionId: 'device', answer: ['Council laptop'] }],
      ['survey_answer', { responseId: 'r1', questionId: 'hopes', answer: null }],
      ['survey_submit', { responseId: 'r1', key: 'baseline' }],
      ['survey_dismiss', { key: 'monthly-pulse-2026-12' }],
      ['help_diagnostics', undefined],
      ['help_send', { category: 'howTo', description: 'How do I forward a message?' }],
    ]);
  });
});
