// A month of figures for the data allowance tests.
import type { DataOverview } from '../../ipc';
import { GB, MB } from '../../bytes';

/** 1 to 23 November 2025: 17 MB a day for 22 days, then 38 MB today, 412 MB in all. */
export function overviewFixture(changes: Partial<DataOverview> = {}): DataOverview {
  const daily = Array.from({ length: 23 }, (_, index) => ({
    date: `2025-11-${String(index + 1).padStart(2, '0')}`,
    bytes: (index === 22 ? 38 : 17) * MB,
  }));
  return {
    cycleStart: '2025-11-01',
    cycleEnd: '2025-11-30',
    capBytes: GB,
    appMobileBytes: 412 * MB,
    appWifiBytes: Math.round(1.3 * GB),
    deviceBytes: null,
    thresholds: [0.5, 0.75, 0.9, 1],
    daily,
    projection: {
      expectedBytes: 740 * MB,
      lowBytes: 600 * MB,
      highBytes: 820 * MB,
      sentence: 'At this rate you will use about 740 MB by 30 November.',
    },
    byFeature: [
      { feature: 'mail-headers', label: 'Message lists', mobileBytes: 150 * MB, wifiBytes: 300 * MB },
      { feature: 'mail-bodies', label: 'Messages', mobileBytes: 200 * MB, wifiBytes: GB },
      { feature: 'attachments', label: 'Attachments', mobileBytes: 62 * MB, wifiBytes: 850 * 1024 },
    ],
    lastSync: { at: '2025-11-23T09:05:00Z', bytes: Math.round(1.2 * MB) },
    level: 'normal',
    levelReason: 'Less than half of your allowance is used, so everything downloads as usual.',
    override: null,
    network: 'mobile',
    networkSource: 'member',
    networkSettable: true,
    ...changes,
  };
}
