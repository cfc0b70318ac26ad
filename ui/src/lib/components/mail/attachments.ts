// Plain names for the kinds of file people attach.

const KINDS: Record<string, string> = {
  'application/pdf': 'PDF document',
  'application/msword': 'Word document',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
  'application/vnd.ms-excel': 'Excel spreadsheet',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel spreadsheet',
  'application/vnd.ms-powerpoint': 'PowerPoint presentation',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PowerPoint presentation',
  'application/vnd.oasis.opendocument.text': 'OpenDocument text',
  'application/vnd.oasis.opendocument.spreadsheet': 'OpenDocument spreadsheet',
  'application/zip': 'Zip file',
  'application/x-zip-compressed': 'Zip file',
  'text/plain': 'Text file',
  'text/csv': 'CSV spreadsheet',
  'text/calendar': 'Calendar invitation',
  'text/html': 'Web page',
  'message/rfc822': 'Email message',
};

/** "PDF document", "JPEG image", or the content type itself when we have no better name. */
export function attachmentKind(contentType: string): string {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const known = KINDS[type];
  if (known) return known;
  const [major, minor] = type.split('/');
  if (minor && (major === 'image' || major === 'audio' || major === 'video')) {
    const name = minor.replace(/^x-/, '').split('+')[0] ?? minor;
    return `${name.toUpperCase()} ${major === 'image' ? 'image' : major === 'audio' ? 'sound file' : 'video'}`;
  }
  return type === '' || type === 'application/octet-stream' ? 'File' : type;
}
