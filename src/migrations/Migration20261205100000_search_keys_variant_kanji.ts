import { Migration } from '@mikro-orm/migrations';
import { profileSearchColumns, type ProfileSearchSource } from '@modules/membership/domain/profile.entity';
import { eventSearchColumns } from '@modules/events/domain/event.entity';

const BATCH = 500;
const FIRST_ID = '00000000-0000-0000-0000-000000000000';

interface ProfileRow {
  member_id: string;
  family_name: string;
  given_name: string;
  family_name_kana: string;
  given_name_kana: string;
  romaji_name: string | null;
  last_department: string | null;
  last_position: string | null;
  location: string | null;
  skills: ProfileSearchSource['skills'] | null;
  qualifications: ProfileSearchSource['qualifications'] | null;
  interests: Partial<ProfileSearchSource['interests']> | null;
  bio: string | null;
  career_at_company: ProfileSearchSource['careerAtCompany'] | null;
  current_company: string | null;
  current_industry: string | null;
  current_position: string | null;
}

interface EventRow {
  id: string;
  title: string;
  description: string;
  notes: string | null;
  place: string | null;
  organiser_name: string;
}

/**
 * Search keys now fold variant kanji (髙→高, 﨑→崎, 邊→辺 …) and drop variation selectors (libs/search). Every stored
 * key made from text is recomputed with the new folding, in batches of 500 rows in id order:
 * - membership.profile: search_name (also the HR member list's name key), search_public/_career/_employer and their
 *   token arrays, skills_norm, interests_norm;
 * - events.event: search_text, search_tokens.
 * (Check-in and the audit log filter compute their keys when searching; nothing else stores one.) The stored texts
 * themselves are not touched: values folded by earlier versions cannot be told from what was typed (see
 * docs/roster-import.md, "Upgrading").
 */
export class Migration20261205100000_search_keys_variant_kanji extends Migration {

  override name = 'Migration20261205100000_search_keys_variant_kanji';

  override async up(): Promise<void> {
    for (let after = FIRST_ID; ; ) {
      const rows = (await this.execute(
        `select member_id, family_name, given_name, family_name_kana, given_name_kana, romaji_name, last_department, last_position,
                location, skills, qualifications, interests, bio, career_at_company, current_company, current_industry, current_position
           from membership.profile where member_id > ? order by member_id limit ${BATCH}`,
        [after],
      )) as ProfileRow[];
      if (rows.length === 0) break;
      const keys = rows.map((r) => ({
        member_id: r.member_id,
        ...toSnake(
          profileSearchColumns({
            familyName: r.family_name,
            givenName: r.given_name,
            familyNameKana: r.family_name_kana,
            givenNameKana: r.given_name_kana,
            romajiName: r.romaji_name,
            lastDepartment: r.last_department,
            lastPosition: r.last_position,
            location: r.location,
            skills: r.skills ?? [],
            qualifications: r.qualifications ?? [],
            interests: { business: r.interests?.business ?? [], hobby: r.interests?.hobby ?? [], volunteer: r.interests?.volunteer ?? [] },
            bio: r.bio,
            careerAtCompany: r.career_at_company ?? [],
            currentCompany: r.current_company,
            currentIndustry: r.current_industry,
            currentPosition: r.current_position,
          }),
        ),
      }));
      await this.execute(
        `update membership.profile p
            set search_name = k.search_name, search_public = k.search_public, search_public_tokens = k.search_public_tokens,
                search_career = k.search_career, search_career_tokens = k.search_career_tokens,
                search_employer = k.search_employer, search_employer_tokens = k.search_employer_tokens,
                skills_norm = k.skills_norm, interests_norm = k.interests_norm
           from jsonb_to_recordset(?::jsonb) as k(member_id uuid, search_name text, search_public text, search_public_tokens text[],
                search_career text, search_career_tokens text[], search_employer text, search_employer_tokens text[],
                skills_norm text[], interests_norm text[])
          where p.member_id = k.member_id`,
        [JSON.stringify(keys)],
      );
      after = rows[rows.length - 1].member_id;
    }

    for (let after = FIRST_ID; ; ) {
      const rows = (await this.execute(
        `select id, title, description, notes, place, organiser_name from events.event where id > ? order by id limit ${BATCH}`,
        [after],
      )) as EventRow[];
      if (rows.length === 0) break;
      const keys = rows.map((r) => {
        const k = eventSearchColumns({ title: r.title, description: r.description, notes: r.notes, place: r.place, organiserName: r.organiser_name });
        return { id: r.id, search_text: k.searchText, search_tokens: k.searchTokens };
      });
      await this.execute(
        `update events.event e set search_text = k.search_text, search_tokens = k.search_tokens
           from jsonb_to_recordset(?::jsonb) as k(id uuid, search_text text, search_tokens text[])
          where e.id = k.id`,
        [JSON.stringify(keys)],
      );
      after = rows[rows.length - 1].id;
    }
  }

  override down(): void | Promise<void> {
    // The keys stay valid for the previous version too (it folds less, so it may find fewer variant spellings).
  }

}

function toSnake(columns: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(columns).map(([key, value]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value]));
}
