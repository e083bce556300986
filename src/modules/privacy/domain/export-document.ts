import type { PersonalDataView } from '@modules/membership/contracts';
import type { ConsentRecordView } from '../contracts/consent';
import type { ConsentState } from './consent';

export const EXPORT_FORMAT = 'kizuna-personal-data';
export const EXPORT_FORMAT_VERSION = 1;

export interface ExportDocumentInput {
  memberId: string;
  communityName: string;
  generatedAt: Date;
  membership: PersonalDataView;
  /** Each module's section (forum, chat, content, …), keyed by its name. */
  modules?: Record<string, unknown>;
  consent: { current: ConsentState[]; history: ConsentRecordView[] };
  dataExports: { exportId: string; state: string; requestedAt: Date; readyAt: Date | null; downloadedAt: Date | null }[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The document's own keys: a module section never replaces them. */
const RESERVED_KEYS = new Set(['format', 'formatVersion', 'community', 'generatedAt', 'memberId', 'membership', 'privacy']);

/**
 * The document a member downloads: what Membership holds, each other module's section at the top level under its key
 * (`forum`, `chat`, `content`), then what Privacy holds (consent and earlier exports).
 */
export function buildExportDocument(input: ExportDocumentInput): Record<string, unknown> {
  return {
    format: EXPORT_FORMAT,
    formatVersion: EXPORT_FORMAT_VERSION,
    community: input.communityName,
    generatedAt: input.generatedAt.toISOString(),
    memberId: input.memberId,
    membership: input.membership,
    ...Object.fromEntries(Object.entries(input.modules ?? {}).filter(([key]) => !RESERVED_KEYS.has(key))),
    privacy: {
      consent: {
        current: input.consent.current.map((c) => ({
          purpose: c.purpose,
          answer: c.answer,
          textVersion: c.textVersion,
          recordedAt: iso(c.recordedAt),
          currentTextVersion: c.currentVersion,
        })),
        history: input.consent.history.map((r) => ({
          purpose: r.purpose,
          granted: r.granted,
          textVersion: r.textVersion,
          textLocale: r.textLocale,
          text: r.text,
          source: r.source,
          recordedAt: r.recordedAt.toISOString(),
        })),
      },
      dataExports: input.dataExports.map((e) => ({
        exportId: e.exportId,
        state: e.state,
        requestedAt: e.requestedAt.toISOString(),
        readyAt: iso(e.readyAt),
        downloadedAt: iso(e.downloadedAt),
      })),
    },
  };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value as Record<string, unknown>).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/**
 * The file as downloaded: keys in alphabetical order at every level (the database keeps JSON in its own key order, so
 * the file is the same however the document was stored), indented for reading.
 */
export function serializeExport(content: Record<string, unknown>): string {
  return `${JSON.stringify(sortKeys(content), null, 2)}\n`;
}

/** kizuna-data-YYYY-MM-DD.json, the day the data was gathered, in Japan time. */
export function exportFileName(readyAt: Date): string {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(readyAt);
  return `kizuna-data-${day}.json`;
}
