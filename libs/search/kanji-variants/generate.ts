/* eslint-disable no-console -- a command-line generator that reports what it wrote */
/**
 * Generates `table.ts` beside this file: the variant kanji that search keys fold to the common Japanese form
 * (髙→高, 﨑→崎, 邉/邊→辺, 齋→斎, 濵→浜, 德→徳, 𠮷→吉, 澤→沢, 櫻→桜, 籠→篭, …).
 *
 * Sources (both maintained, both shipped by Debian, nothing fetched from the network):
 * - KANJIDIC2 (EDRDG, Debian package `kanjidic-xml`: /usr/share/edict/kanjidic2.xml.gz): each kanji's JIS X 0208
 *   code and its Japanese variant forms (`<variant var_type="jis208"|"ucs">`);
 * - Unicode's Unihan database (Debian package `unicode-data`: /usr/share/unicode/Unihan_*.txt.bz2):
 *   `kJoyoKanji` (常用漢字 2010), `kJinmeiyoKanji` (人名用漢字: `2010:U+xxxx` names the 常用 form of a 旧字体),
 *   and `kZVariant`, `kSpoofingVariant`, `kSemanticVariant` for characters outside JIS X 0208 (髙, 﨑, 濵, 德, 𠮷).
 *   kTraditionalVariant/kSimplifiedVariant are Chinese simplification and are not used.
 *
 * Direction: a character folds only towards the common Japanese form, which is a 常用漢字 or a JIS X 0208 level 1
 * kanji (rows 16–47). A common character is never folded, except a 常用漢字 of level 2 whose variant is a level-1 kanji
 * (籠→篭), so that the pair still meets. Candidates are taken in this order: the 人名用漢字 table, then KANJIDIC2's
 * variants, then Unihan's; one step through a rare form is followed (濵→濱→浜). Every target is a fixed point (the
 * fold is idempotent). `OVERRIDES` and `KEEP` below are the few decisions for Japanese usage, each with its reason.
 *
 * Rerun after a new KANJIDIC2 or Unicode release:
 *   apt-get install kanjidic-xml unicode-data
 *   node_modules/.bin/node libs/search/kanji-variants/generate.ts
 * (Node 24 runs this TypeScript file directly; the paths can be changed with KANJIDIC2=… UNIHAN_DIR=….)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const KANJIDIC2 = process.env.KANJIDIC2 ?? '/usr/share/edict/kanjidic2.xml.gz';
const UNIHAN_DIR = process.env.UNIHAN_DIR ?? '/usr/share/unicode';
const OUT = join(dirname(process.argv[1]), 'table.ts');

/**
 * Name usage that the sources do not give: 齊 is the 旧字体 of 斉, but in surnames (齊藤) it stands for 斎 (斎藤), which
 * is what people type. 邉 and 邊 both fold to 辺 (KANJIDIC2 lists them as variants of each other and of 辺).
 */
const OVERRIDES: Record<string, string> = { 齊: '斎' };

/**
 * Characters kept apart although a source calls them variants, because Japanese uses them as different characters
 * (folding would make a search find unrelated words).
 */
const KEEP = new Set<string>([
  '鬻', // ひさぐ (to sell), not 粥 (rice porridge)
  '靫', // うつぼ (quiver; the place name 靫), not 靭 (しなやか)
  '簟', // たかむしろ (bamboo mat); the variant of 箪 is 簞, a different code point
  '辮', // 辮髪 (braid): not one of the characters that 弁 replaced (辨, 瓣, 辯)
]);

const cp = (c: string) => c.codePointAt(0)!;
const fromU = (u: string) => String.fromCodePoint(parseInt(u.replace(/^U\+/, ''), 16));
const isIdeograph = (c: string) => /\p{Script=Han}/u.test(c);

// --- KANJIDIC2 -------------------------------------------------------------------------------------------------
const xml = gunzipSync(readFileSync(KANJIDIC2)).toString('utf8');
const byJis208 = new Map<string, string>();
const jis208Of = new Map<string, string>();
const kanjidicVariants = new Map<string, { type: string; value: string }[]>();
for (const block of xml.split('</character>')) {
  const literal = /<literal>(.+?)<\/literal>/.exec(block)?.[1];
  if (!literal) continue;
  const jis = /<cp_value cp_type="jis208">(\d+-\d+-\d+)<\/cp_value>/.exec(block)?.[1];
  if (jis) {
    byJis208.set(jis, literal);
    jis208Of.set(literal, jis);
  }
  const variants = [...block.matchAll(/<variant var_type="([a-z0-9_]+)">([^<]+)<\/variant>/g)].map((m) => ({ type: m[1], value: m[2] }));
  if (variants.length) kanjidicVariants.set(literal, variants);
}
const jisRow = (c: string) => {
  const code = jis208Of.get(c);
  return code ? Number(code.split('-')[1]) : null;
};
const isLevel1 = (c: string) => {
  const row = jisRow(c);
  return row !== null && row >= 16 && row <= 47;
};

// --- Unihan ----------------------------------------------------------------------------------------------------
function unihan(file: string): string[][] {
  const text = execFileSync('bzcat', [join(UNIHAN_DIR, file)], { maxBuffer: 1 << 28 }).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line.startsWith('U+'))
    .map((line) => line.split('\t'));
}
const joyo = new Set<string>();
const jinmeiyoTarget = new Map<string, string>();
for (const [u, field, value] of unihan('Unihan_OtherMappings.txt.bz2')) {
  if (field === 'kJoyoKanji' && /^\d{4}$/.test(value)) joyo.add(fromU(u));
  if (field === 'kJoyoKanji' && value.startsWith('U+')) joyo.add(fromU(value)); // 𠮟 and the other 2010 forms
  const m = field === 'kJinmeiyoKanji' ? /^\d{4}:(U\+[0-9A-F]+)$/.exec(value) : null;
  if (m) jinmeiyoTarget.set(fromU(u), fromU(m[1]));
}
/** Unihan's variants of a character, same-character (z-) variants first: kZVariant, kSpoofingVariant, then
 * kSemanticVariant entries that a dictionary marks as z-variants (`<kMorohashi:Z`), then the other semantic ones. */
const unihanRanked = new Map<string, { rank: number; v: string }[]>();
for (const [u, field, value] of unihan('Unihan_Variants.txt.bz2')) {
  const base = { kZVariant: 0, kSpoofingVariant: 1, kSemanticVariant: 2 }[field];
  if (base === undefined) continue;
  const list = unihanRanked.get(fromU(u)) ?? [];
  for (const token of value.split(' ')) {
    const [code, sources = ''] = token.split('<');
    list.push({ rank: base === 2 && /:Z\b/.test(sources) ? 1.5 : base, v: fromU(code) });
  }
  unihanRanked.set(fromU(u), list);
}
// A plain semantic variant counts only when both characters name each other (高↔髙); one-way entries are mostly
// Chinese usage (你→爾, 份→彬) that would surprise a Japanese reader.
const mutual = (a: string, b: string) => (unihanRanked.get(b) ?? []).some((x) => x.v === a);
const unihanVariants = new Map(
  [...unihanRanked].map(([c, list]) => [c, list.filter((x) => x.rank < 2 || mutual(c, x.v)).sort((a, b) => a.rank - b.rank).map((x) => x.v)]),
);

const isCommon = (c: string) => joyo.has(c) || isLevel1(c);

/** Variant forms of a character, most trusted first. */
function candidates(c: string): string[] {
  const out: string[] = [];
  const jinmei = jinmeiyoTarget.get(c);
  if (jinmei) out.push(jinmei);
  for (const v of kanjidicVariants.get(c) ?? []) {
    const ch = v.type === 'jis208' ? byJis208.get(v.value) : v.type === 'ucs' ? String.fromCodePoint(parseInt(v.value, 16)) : undefined;
    if (ch) out.push(ch);
  }
  // Unihan's looser relations only for characters that JIS X 0208 does not have at all (髙, 﨑, 濵, 德, 𠮷).
  if (!jis208Of.has(c)) out.push(...(unihanVariants.get(c) ?? []));
  return [...new Set(out)].filter((v) => v !== c && isIdeograph(v));
}

function target(c: string): string | null {
  if (KEEP.has(c)) return null;
  if (OVERRIDES[c]) return OVERRIDES[c];
  const direct = candidates(c);
  if (isCommon(c)) {
    // A 常用漢字 outside level 1 meets its level-1 variant (籠→篭); level-1 kanji are never folded.
    if (isLevel1(c)) return null;
    return direct.find((v) => isLevel1(v) && !joyo.has(v) && candidates(v).includes(c)) ?? null;
  }
  const common = direct.find(isCommon);
  if (common) return common;
  for (const rare of direct) {
    const next = candidates(rare).find((v) => isCommon(v) && v !== c);
    if (next) return next;
  }
  return null;
}

const characters = new Set<string>([...kanjidicVariants.keys(), ...jinmeiyoTarget.keys(), ...unihanVariants.keys()].filter(isIdeograph));
const map = new Map<string, string>();
for (const c of characters) {
  const t = target(c);
  if (t && t !== c) map.set(c, t);
}
// Every target is a fixed point: follow chains (a → b → c becomes a → c).
for (const [c, t] of map) {
  let end = t;
  const seen = new Set([c]);
  while (map.has(end) && !seen.has(end)) {
    seen.add(end);
    end = map.get(end)!;
  }
  if (end === c) map.delete(c);
  else map.set(c, end);
}

const pairs = [...map].sort(([a], [b]) => cp(a) - cp(b));
const body = pairs.map(([from, to]) => from + to).join('');
const lines: string[] = [];
for (let i = 0; i < body.length; ) {
  // 40 pairs a line; a character may be two UTF-16 code units, so count code points.
  const chunk = [...body.slice(i, i + 160)].slice(0, 80).join('');
  lines.push(`  '${chunk}',`);
  i += chunk.length;
}
writeFileSync(
  OUT,
  `/**
 * Generated by libs/search/kanji-variants/generate.ts from KANJIDIC2 and Unihan (Unicode 15) — do not edit by hand;
 * change the generator and rerun it. ${pairs.length} pairs: each variant kanji followed by the common Japanese form that
 * search keys use instead.
 */
export const KANJI_VARIANT_PAIRS: readonly string[] = [
${lines.join('\n')}
];
`,
);
console.log(`${pairs.length} pairs written to ${OUT}`);
if (process.argv.includes('--list')) {
  // For review: each pair with where the variant stands (JIS X 0208 row, or outside it).
  for (const [from, to] of pairs) console.log(`${from}\t${to}\t${jisRow(from) ?? '-'}\t${joyo.has(from) ? 'joyo' : ''}`);
}
