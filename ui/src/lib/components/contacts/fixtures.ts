import type { ContactDetail, ContactSummary } from '../../ipc';

export function contactSummary(overrides: Partial<ContactSummary> = {}): ContactSummary {
  return {
    id: 'c1',
    displayName: 'Jane Smith',
    jobTitle: 'Head of Planning',
    companyName: 'Demo Borough Council',
    emails: ['jane.smith@council.example'],
    phones: ['01632 960 123'],
    ...overrides,
  };
}

export function contactDetail(overrides: Partial<ContactDetail> = {}): ContactDetail {
  return {
    ...contactSummary(),
    department: 'Planning and Regeneration',
    ...overrides,
  };
}
