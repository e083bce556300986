import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { ormOptions } from '@libs/database/orm-options';
import { dropDatabase, ensureDatabaseExists } from '@libs/database/resolve-database';
import { migrations } from '../../../src/migrations';

const REINDEX = 'Migration20261205100000_search_keys_variant_kanji';

/**
 * The re-indexing migration on a database built by the migrations before it, holding rows whose search keys were made
 * by the previous folding (no variant kanji): afterwards every stored key is the new one, and the texts are untouched.
 */
describe('re-indexing search keys (variant kanji)', () => {
  let url: string;
  let sql: Client;

  beforeAll(async () => {
    const base = new URL(process.env.DATABASE_URL as string);
    base.pathname = `${base.pathname}_reindex`;
    url = base.toString();
    if (!url.includes('test')) throw new Error('refusing a database whose name does not say test');
    await ensureDatabaseExists(url);
    sql = new Client({ connectionString: url });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    if (url) await dropDatabase(url);
  });

  const quiet = { entities: [], discovery: { warnWhenNoEntities: false }, logger: () => undefined };

  it('recomputes the profiles\' and events\' keys in batches, leaving the stored text as written', async () => {
    const before = migrations.filter((m) => m.name < REINDEX);
    const old = await MikroORM.init({ ...ormOptions({ url, migrations: before }), ...quiet });
    await old.migrator.up();
    await old.close(true);

    // 501 profiles, so that the migration crosses a batch boundary; the last one is 髙橋 with keys as the old
    // version made them (髙 unfolded, a variation selector kept).
    const members = Array.from({ length: 501 }, (_, i) => ({ id: randomUUID(), i })).sort((a, b) => a.id.localeCompare(b.id));
    const takahashi = members[members.length - 1].id;
    for (const { id, i } of members) {
      await sql.query(
        `insert into membership.member (id, email, status, role, session_version, joined_via, created_at, updated_at)
         values ($1, $2, 'alumni', 'member', 0, 'application', now(), now())`,
        [id, `m${i}@example.jp`],
      );
      const isTakahashi = id === takahashi;
      await sql.query(
        `insert into membership.profile (member_id, family_name, given_name, family_name_kana, given_name_kana, last_department,
           career_at_company, skills, qualifications, interests, open_to_comeback, open_to_offers, open_to_side_work, privacy,
           updated_at, search_name, search_public, search_public_tokens, skills_norm)
         values ($1, $2, $3, 'タカハシ', 'イチロウ', $4, $5, $6, '[]', '{"business":[],"hobby":[],"volunteer":[]}', false, false, false, '{}',
           '2026-01-02T03:04:05Z', $7, $7, $8, $9)`,
        [
          id,
          isTakahashi ? '髙橋' : `山田${i}`,
          '一郎',
          isTakahashi ? '㈱キズナ 第Ⅱ営業部' : '営業部',
          JSON.stringify([{ department: '渡邊課', position: '①担当', from: '2010-04', to: null }]),
          JSON.stringify(isTakahashi ? ['齋藤流'] : []),
          isTakahashi ? '髙橋一郎' : `山田${i}一郎`,
          isTakahashi ? ['髙', '髙橋'] : ['山'],
          isTakahashi ? ['齋藤流'] : [],
        ],
      );
    }
    const eventId = randomUUID();
    await sql.query(
      `insert into events.event (id, title, category, format, starts_at, ends_at, time_zone, fee_yen, description, visibility,
         max_companions, organiser_name, created_by, state, confirmed_seats, waitlist_count, search_text, search_tokens, created_at, updated_at)
       values ($1, '山﨑さんを囲む会', 'social', 'offline', now(), now() + interval '1 hour', 'Asia/Tokyo', 0, '葛\u{E0100}飾にて', 'members', 0,
         '渡邉', $2, 'published', 0, 0, '山﨑さんを囲む会', '{山﨑}', now(), now())`,
      [eventId, takahashi],
    );

    const orm = await MikroORM.init({ ...ormOptions({ url, migrations }), ...quiet });
    const applied = await orm.migrator.up();
    await orm.close(true);
    expect(applied.map((m) => m.name)).toContain(REINDEX);

    const { rows: [p] } = await sql.query(
      `select family_name, last_department, career_at_company, skills, updated_at, search_name, search_public, search_public_tokens,
              search_career, search_career_tokens, skills_norm
         from membership.profile where member_id = $1`,
      [takahashi],
    );
    // the text as written…
    expect(p.family_name).toBe('髙橋');
    expect(p.last_department).toBe('㈱キズナ 第Ⅱ営業部');
    expect(p.career_at_company[0]).toMatchObject({ department: '渡邊課', position: '①担当' });
    expect(p.skills).toEqual(['齋藤流']);
    expect(p.updated_at.toISOString()).toBe('2026-01-02T03:04:05.000Z');
    // …and the keys folded anew
    expect(p.search_name).toBe('高橋一郎\u0001たかはしいちろう');
    expect(p.search_public).toContain('(株)きずな第ii営業部');
    expect(p.search_public_tokens).toEqual(expect.arrayContaining(['高橋', '高']));
    expect(p.search_public_tokens).not.toContain('髙');
    expect(p.search_career).toContain('渡辺課');
    expect(p.search_career_tokens).toEqual(expect.arrayContaining(['渡辺', '1担当']));
    expect(p.skills_norm).toEqual(['斎藤流']);

    // every profile of both batches got keys (the first ones had none for their career)
    const { rows: [counts] } = await sql.query(`select count(*) filter (where search_career = '') as missing, count(*) as n from membership.profile`);
    expect(Number(counts.n)).toBe(501);
    expect(Number(counts.missing)).toBe(0);

    const { rows: [e] } = await sql.query('select title, description, search_text, search_tokens from events.event where id = $1', [eventId]);
    expect(e.title).toBe('山﨑さんを囲む会');
    expect(e.description).toBe('葛\u{E0100}飾にて');
    expect(e.search_tokens).toEqual(expect.arrayContaining(['山崎', '葛飾', '渡辺']));
    expect(e.search_tokens).not.toContain('山﨑');
    expect(e.search_text).toContain('葛飾にて');
  });
});
