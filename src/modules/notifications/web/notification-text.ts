import type { Locale, MessageCatalog } from '@libs/i18n';
import type { NotificationView } from '../contracts';
import { formatDateTime } from '../application/event-notices/event-times';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/**
 * A notification's text in the reader's language: `notifications.kinds.<kind>` with its params, times (params named
 * `…At`) in the reader's zone, and a list of changed fields (`changed`) as their names.
 */
export function notificationText(catalog: MessageCatalog, n: Pick<NotificationView, 'kind' | 'params'>, locale: Locale, timeZone: string): string {
  const params: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(n.params ?? {})) {
    if (name.endsWith('At') && typeof value === 'string' && ISO.test(value) && !Number.isNaN(Date.parse(value))) {
      params[name] = formatDateTime(new Date(value), locale, timeZone);
    } else if (name === 'changed' && typeof value === 'string') {
      params[name] = value
        .split(',')
        .filter(Boolean)
        .map((field) => catalog.t(locale, `notifications.fields.${field}`))
        .join(locale === 'ja' ? '・' : ', ');
    } else {
      params[name] = value;
    }
  }
  const key = `notifications.kinds.${n.kind}`;
  return catalog.has(locale, key) || catalog.has('ja', key) ? catalog.t(locale, key, params) : String(params.title ?? n.kind);
}
