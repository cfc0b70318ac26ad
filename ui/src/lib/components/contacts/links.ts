/** A `tel:` address for a phone number as people write it, e.g. "01632 960 123" → "tel:01632960123". */
export function telUrl(phone: string): string | null {
  const trimmed = phone.trim();
  const digits = trimmed.replace(/[^\d*#,;]/g, '');
  if (!/\d/.test(digits)) return null;
  return `tel:${trimmed.startsWith('+') ? '+' : ''}${digits}`;
}

/** A `mailto:` address for an email address, with nothing that could add headers or a body. */
export function mailtoUrl(address: string): string | null {
  const trimmed = address.trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(trimmed)) return null;
  return `mailto:${encodeURIComponent(trimmed).replace(/%40/g, '@')}`;
}
