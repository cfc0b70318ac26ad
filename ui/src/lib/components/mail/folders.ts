import type { MailFolder } from '../../ipc';

/** Plain English names for the folders every mailbox has, whatever the server calls them. */
const WELL_KNOWN: Record<string, { name: string; order: number }> = {
  inbox: { name: 'Inbox', order: 0 },
  drafts: { name: 'Drafts', order: 1 },
  sentitems: { name: 'Sent', order: 2 },
  archive: { name: 'Archive', order: 3 },
  junkemail: { name: 'Junk email', order: 4 },
  deleteditems: { name: 'Deleted', order: 5 },
};

/** The name to show for a folder: "Sent" for "Sent Items", and so on. */
export function folderName(folder: MailFolder): string {
  const known = folder.wellKnownName ? WELL_KNOWN[folder.wellKnownName.toLowerCase()] : undefined;
  return known?.name ?? (folder.displayName.trim() || 'Unnamed folder');
}

/** Inbox first, then the other standard folders, then the member's own folders A to Z. */
export function sortFolders(folders: readonly MailFolder[]): MailFolder[] {
  const rank = (folder: MailFolder) =>
    (folder.wellKnownName ? WELL_KNOWN[folder.wellKnownName.toLowerCase()]?.order : undefined) ?? 100;
  return [...folders].sort(
    (a, b) => rank(a) - rank(b) || folderName(a).localeCompare(folderName(b), 'en-GB', { sensitivity: 'base' }),
  );
}

/** "Inbox (3 unread)" or just "Archive". */
export function folderOptionLabel(folder: MailFolder): string {
  const unread = folder.unreadItemCount;
  return unread > 0 ? `${folderName(folder)} (${unread.toLocaleString('en-GB')} unread)` : folderName(folder);
}
