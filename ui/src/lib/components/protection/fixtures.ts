// The core's answers about the app lock, for the tests and the accessibility audit's harness.
import type { ProtectionSettings, ProtectionStatus, WipeNotice } from '../../ipc';

export const unlocked: ProtectionStatus = { state: 'unlocked', idleLockSeconds: 300 };

export function choosePin(wiped: WipeNotice | null = null): ProtectionStatus {
  return { state: 'choosePin', pinLength: 6, wiped };
}

/** Locked, after `wrongPins` wrong PINs of 5, with a wait of `waitSeconds` before the next try. */
export function locked(wrongPins = 0, waitSeconds = 0): ProtectionStatus {
  return { state: 'locked', wrongPins, triesLeft: 5 - wrongPins, waitSeconds, biometricsAllowed: false };
}

/** Not reached the council for 80 hours; it clears itself in 4 days. */
export const reachCouncil: ProtectionStatus = { state: 'reachCouncil', offlineHours: 80, wipeInDays: 4 };

export function settingsFixture(overrides: Partial<ProtectionSettings> = {}): ProtectionSettings {
  return {
    deviceCode: 'MC-7F3K-92QD',
    pinLength: 6,
    idleLockSeconds: 300,
    wrongPinLimit: 5,
    offlineLockHours: 72,
    offlineWipeDays: 14,
    biometricsAllowed: false,
    keysSurviveRestart: true,
    ...overrides,
  };
}

/** What the core says after too many wrong PINs cleared the device. */
export const wipedForWrongPins: WipeNotice = {
  at: '2026-11-02T09:15:00Z',
  reason: 'wrongPins',
  message:
    'The wrong PIN was entered too many times, so Member Companion removed your council email, calendar and contacts from this device.',
};
