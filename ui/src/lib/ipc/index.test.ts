import { invoke, isTauri } from '@tauri-apps/api/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { demoOverview, errorMessage, type DemoOverview } from './index';

// Only this module's own test stands in for the Tauri bridge; components mock `./index` instead.
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn(), isTauri: vi.fn() }));

const mockedInvoke = vi.mocked(invoke);
const mockedIsTauri = vi.mocked(isTauri);

describe('demoOverview', () => {
  beforeEach(() => {
    mockedInvoke.mockReset();
    mockedIsTauri.mockReset();
  });

  it('asks the core for the demo_overview command and returns its answer', async () => {
    const answer: DemoOverview = {
      member: { displayName: 'Cllr Priya Shah', mail: 'priya.shah@demo-council.gov.uk' },
      simulatorUrl: 'http://127.0.0.1:43123',
      folders: [],
      inbox: [],
    };
    mockedIsTauri.mockReturnValue(true);
    mockedInvoke.mockResolvedValue(answer);

    await expect(demoOverview()).resolves.toEqual(answer);
    expect(mockedInvoke).toHaveBeenCalledWith('demo_overview');
  });

  it('explains plainly when the page is opened outside the app', async () => {
    mockedIsTauri.mockReturnValue(false);

    const failure: unknown = await demoOverview().catch((error: unknown) => error);

    expect(mockedInvoke).not.toHaveBeenCalled();
    expect(errorMessage(failure)).toBe(
      'Member Companion is not running. Open it from its app icon, not in a web browser.',
    );
  });
});
