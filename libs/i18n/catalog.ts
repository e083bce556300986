import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const LOCALES = ['ja', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'ja';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

type Messages = Map<string, string>;

function flatten(prefix: string, value: unknown, into: Messages, file: string): void {
  if (typeof value === 'string') {
    if (into.has(prefix)) throw new Error(`Duplicate message key "${prefix}" in ${file}`);
    into.set(prefix, value);
    return;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(prefix ? `${prefix}.${k}` : k, v, into, file);
  }
}

function findCatalogDirs(dir: string, out: string[]): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = join(dir, name);
    if (!statSync(full).isDirectory()) continue;
    if (name === 'i18n') out.push(full);
    else findCatalogDirs(full, out);
  }
}

/**
 * Message catalogs: every `i18n/<locale>.json` under libs/ and src/ is merged into one flat key space
 * (`membership.apply.title`). Loaded once at start-up.
 */
export class MessageCatalog {
  private readonly messages = new Map<Locale, Messages>();

  constructor(root = process.env.KIZUNA_ROOT ?? process.cwd()) {
    const dirs: string[] = [];
    findCatalogDirs(join(root, 'libs'), dirs);
    findCatalogDirs(join(root, 'src'), dirs);
    for (const locale of LOCALES) {
      const merged: Messages = new Map();
      for (const dir of dirs) {
        let raw: string;
        try {
          raw = readFileSync(join(dir, `${locale}.json`), 'utf8');
        } catch {
          continue;
        }
        flatten('', JSON.parse(raw), merged, join(dir, `${locale}.json`));
      }
      this.messages.set(locale, merged);
    }
  }

  has(locale: Locale, key: string): boolean {
    return this.messages.get(locale)?.has(key) ?? false;
  }

  keys(locale: Locale): string[] {
    return [...(this.messages.get(locale)?.keys() ?? [])];
  }

  /** Translates `key`; `{name}` placeholders are replaced from params. Falls back to Japanese, then to the key. */
  t(locale: Locale, key: string, params?: Record<string, unknown>): string {
    const template = this.messages.get(locale)?.get(key) ?? this.messages.get(DEFAULT_LOCALE)?.get(key) ?? key;
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name] ?? '') : m));
  }
}

let shared: MessageCatalog | undefined;
export function messageCatalog(): MessageCatalog {
  shared ??= new MessageCatalog();
  return shared;
}
