import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import {
  protectionChangePin,
  protectionChoosePin,
  protectionLock,
  protectionStatus,
  protectionTouch,
  protectionUnlock,
  type ProtectionStatus,
} from '../ipc';
import { ProtectionState, TOUCH_EVERY_MS } from './protection.svelte';
import type { ErrorReport } from './resource.svelte';

vi.mock('../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../ipc')>()),
  protectionStatus: vi.fn(),
  protectionChoosePin: vi.fn(),
  protectionUnlock: vi.fn(),
  protectionLock: vi.fn(),
  protectionChangePin: vi.fn(),
  protectionTouch: vi.fn(),
}));

const unlocked: ProtectionStatus = { state: 'unlocked', idleLockSeconds: 300 };
const locked = (wrongPins = 0, waitSeconds = 0): ProtectionStatus => ({
  state: 'locked',
  wrongPins,
  triesLeft: 5 - wrongPins,
  waitSeconds,
  biometricsAllowed: false,
});
const choosePin: ProtectionStatus = { state: 'choosePin', pinLength: 6, wiped: null };

/** Every watch started by a test, stopped after it even when it fails half-way. */
const watching: Array<() => void> = [];

function watch(protection: ProtectionState): () => void {
  const stop = protection.watch();
  watching.push(stop);
  return stop;
}

let hooks: { opened: Mock<() => void>; closed: Mock<() => void> };
let report: Mock<ErrorReport>;

async function protectionAt(status: ProtectionStatus): Promise<ProtectionState> {
  vi.mocked(protectionStatus).mockResolvedValue(status);
  const protection = new ProtectionState(report, hooks);
  await protection.load();
  return protection;
}

/** The document says it is hidden (the app minimised, or sent to the background) or shown. */
function setVisibility(state: DocumentVisibilityState): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('ProtectionState', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    hooks = { opened: vi.fn<() => void>(), closed: vi.fn<() => void>() };
    report = vi.fn<ErrorReport>();
    vi.mocked(protectionTouch).mockResolvedValue();
    vi.mocked(protectionLock).mockResolvedValue(locked());
  });

  afterEach(() => {
    for (const stop of watching.splice(0)) stop();
    vi.useRealTimers();
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
  });

  describe('watching the member use the app', () => {
    it('tells the core the member is using the app at most once every 15 seconds', async () => {
      vi.useFakeTimers({ now: new Date('2026-11-02T09:00:00Z'), toFake: ['Date'] });
      const protection = await protectionAt(unlocked);
      watch(protection);

      window.dispatchEvent(new Event('pointerdown'));
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
      expect(protectionTouch).toHaveBeenCalledOnce();

      vi.setSystemTime(Date.now() + TOUCH_EVERY_MS - 1);
      window.dispatchEvent(new Event('wheel'));
      expect(protectionTouch).toHaveBeenCalledOnce();

      vi.setSystemTime(Date.now() + 1);
      window.dispatchEvent(new Event('touchstart'));
      expect(protectionTouch).toHaveBeenCalledTimes(2);
      expect(TOUCH_EVERY_MS).toBe(15_000);
    });

    it.each([
      ['locked', locked()],
      ['waiting for a PIN to be chosen', choosePin],
      ['waiting to reach the council', { state: 'reachCouncil', offlineHours: 80, wipeInDays: 4 } as ProtectionStatus],
    ])('does not tell the core anything while the app is %s', async (_case, status) => {
      const protection = await protectionAt(status);
      watch(protection);

      window.dispatchEvent(new Event('pointerdown'));
      window.dispatchEvent(new KeyboardEvent('keydown', { key: '4' }));

      expect(protectionTouch).not.toHaveBeenCalled();
    });

    it('asks where the lock stands when the core says it had already locked', async () => {
      const protection = await protectionAt(unlocked);
      vi.mocked(protectionTouch).mockRejectedValue({ kind: 'locked', message: 'Member Companion is locked.' });
      vi.mocked(protectionStatus).mockResolvedValue(locked());
      watch(protection);

      window.dispatchEvent(new Event('pointerdown'));

      await vi.waitFor(() => expect(protection.status.current?.state).toBe('locked'));
      expect(hooks.closed).toHaveBeenCalledOnce();
      // The lock speaking is not a failure to report.
      expect(report).not.toHaveBeenCalled();
    });

    it('locks the app when it is hidden, while it is open', async () => {
      const protection = await protectionAt(unlocked);
      watch(protection);

      setVisibility('visible');
      expect(protectionLock).not.toHaveBeenCalled();

      setVisibility('hidden');

      expect(protectionLock).toHaveBeenCalledOnce();
      await vi.waitFor(() => expect(protection.unlocked).toBe(false));
      expect(hooks.closed).toHaveBeenCalledOnce();

      // Already locked: hiding it again asks nothing.
      setVisibility('visible');
      setVisibility('hidden');
      expect(protectionLock).toHaveBeenCalledOnce();
    });

    it('stops watching when told to', async () => {
      const protection = await protectionAt(unlocked);
      const stop = watch(protection);

      stop();
      window.dispatchEvent(new Event('pointerdown'));
      setVisibility('hidden');

      expect(protectionTouch).not.toHaveBeenCalled();
      expect(protectionLock).not.toHaveBeenCalled();
    });
  });

  describe('telling the app when the lock opens and closes', () => {
    it('tells it once for each change, not for every answer', async () => {
      const protection = await protectionAt(locked());
      expect(hooks.closed).toHaveBeenCalledOnce();
      expect(hooks.opened).not.toHaveBeenCalled();

      // Two wrong PINs: two new locked answers, but the app was closed already.
      vi.mocked(protectionUnlock).mockResolvedValueOnce(locked(1)).mockResolvedValueOnce(locked(2));
      expect(await protection.unlock('111111')).toBe(false);
      expect(await protection.unlock('222222')).toBe(false);
      expect(hooks.closed).toHaveBeenCalledOnce();

      vi.mocked(protectionUnlock).mockResolvedValueOnce(unlocked);
      expect(await protection.unlock('482915')).toBe(true);
      expect(hooks.opened).toHaveBeenCalledOnce();

      // Asked again while open (the core's event): still open, nothing to tell.
      vi.mocked(protectionStatus).mockResolvedValue({ ...unlocked });
      await protection.changed();
      expect(hooks.opened).toHaveBeenCalledOnce();

      await protection.lock();
      expect(hooks.closed).toHaveBeenCalledTimes(2);
      expect(hooks.opened).toHaveBeenCalledOnce();
    });

    it('stays closed when too many wrong PINs clear the device, and opens once a new PIN is chosen', async () => {
      const protection = await protectionAt(locked(4));
      vi.mocked(protectionUnlock).mockResolvedValue({
        state: 'choosePin',
        pinLength: 6,
        wiped: { at: '2026-11-02T09:00:00Z', reason: 'wrongPins', message: 'The wrong PIN was entered too many times.' },
      });

      expect(await protection.unlock('000000')).toBe(false);
      expect(protection.status.current?.state).toBe('choosePin');
      expect(hooks.closed).toHaveBeenCalledOnce();

      vi.mocked(protectionChoosePin).mockResolvedValue(unlocked);
      expect(await protection.choosePin('482915')).toBe(true);
      expect(protectionChoosePin).toHaveBeenCalledWith('482915');
      expect(hooks.opened).toHaveBeenCalledOnce();
    });
  });

  describe('the wait after wrong PINs', () => {
    it('starts from the answer’s seconds, and is gone once the wait is over', async () => {
      vi.useFakeTimers({ now: new Date('2026-11-02T09:00:00Z'), toFake: ['Date'] });
      const protection = await protectionAt(locked(3, 30));

      expect(protection.waitUntil).toBe(Date.now() + 30_000);

      vi.mocked(protectionUnlock).mockResolvedValue(unlocked);
      await protection.unlock('482915');
      expect(protection.waitUntil).toBe(0);
    });

    it('asks how long is left when a PIN is sent during the wait, without reporting a failure', async () => {
      vi.useFakeTimers({ now: new Date('2026-11-02T09:00:00Z'), toFake: ['Date'] });
      const protection = await protectionAt(locked(3));
      vi.mocked(protectionUnlock).mockRejectedValue({ kind: 'locked', message: 'Please wait 20 seconds before trying your PIN again.' });
      vi.mocked(protectionStatus).mockResolvedValue(locked(3, 20));

      expect(await protection.unlock('482915')).toBe(false);

      expect(protectionStatus).toHaveBeenCalledTimes(2);
      expect(protection.waitUntil).toBe(Date.now() + 20_000);
      expect(report).not.toHaveBeenCalled();
    });
  });

  it('asks where the lock stands after a wrong current PIN, which counts as a wrong PIN', async () => {
    const protection = await protectionAt(unlocked);
    vi.mocked(protectionChangePin).mockRejectedValue({ kind: 'invalid', message: 'that PIN is not right' });

    expect(await protection.changePin('111111', '482915')).toBe(false);

    expect(protectionChangePin).toHaveBeenCalledWith('111111', '482915');
    expect(protection.changingPin.error?.message).toBe('that PIN is not right');
    expect(protectionStatus).toHaveBeenCalledTimes(2);
  });
});
