/**
 * Deterministic generator of fictional Japanese company people, for the demo community and for benchmark data sets.
 * Everything is derived from (index, seed) through a small seeded PRNG, so the same pair always yields the same person.
 * All names, companies and e-mail addresses are fictional; e-mail domains are reserved example domains only.
 */

export type DemoPersonStatus = 'employee' | 'alumni';

export interface DemoCareerEntry {
  department: string;
  position: string;
  fromYear: number;
  toYear: number | null;
}

export interface DemoQualification {
  name: string;
  year: number;
}

export interface DemoInterests {
  business: string[];
  hobby: string[];
  volunteer: string[];
}

export interface DemoPerson {
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  romajiName: string;
  email: string;
  status: DemoPersonStatus;
  birthDate: string | null;
  joinedYear: number;
  leftYear: number | null;
  lastDepartment: string;
  lastPosition: string;
  location: string;
  careerAtCompany: DemoCareerEntry[];
  currentCompany: string | null;
  currentIndustry: string | null;
  currentPosition: string | null;
  skills: string[];
  qualifications: DemoQualification[];
  interests: DemoInterests;
  bio: string;
  openToComeback: boolean;
  openToOffers: boolean;
  openToSideWork: boolean;
}

/** The year the data is anchored to: nobody joins or leaves after it, and everybody is 23-65 years old in it. */
export const DEMO_REFERENCE_YEAR = 2026;
export const DEMO_DEFAULT_SEED = 0x4b5a4e41;

const MIN_BIRTH_YEAR = DEMO_REFERENCE_YEAR - 65;
const MAX_BIRTH_YEAR = DEMO_REFERENCE_YEAR - 24;
const EMPLOYEE_SHARE = 0.35;
const RETIREMENT_AGE = 60;

// ---------------------------------------------------------------------------------------------------------------
// Seeded randomness
// ---------------------------------------------------------------------------------------------------------------

type Weighted<T> = readonly [value: T, weight: number];

interface Rng {
  next(): number;
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  weighted<T>(items: readonly Weighted<T>[]): T;
  sample<T>(items: readonly T[], count: number): T[];
}

function mix32(value: number): number {
  let x = value | 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

function hashInteger(value: number): number {
  const low = value >>> 0;
  const high = Math.floor(value / 0x100000000) >>> 0;
  return mix32(low ^ mix32(high + 0x9e3779b9));
}

function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chance: (probability) => next() < probability,
    pick: (items) => items[Math.floor(next() * items.length)],
    weighted: (items) => {
      let total = 0;
      for (const [, weight] of items) total += weight;
      let roll = next() * total;
      for (const [value, weight] of items) {
        roll -= weight;
        if (roll < 0) return value;
      }
      return items[items.length - 1][0];
    },
    sample: (items, count) => {
      const pool = items.slice();
      const size = Math.min(count, pool.length);
      for (let i = 0; i < size; i++) {
        const j = i + Math.floor(next() * (pool.length - i));
        const swap = pool[i];
        pool[i] = pool[j];
        pool[j] = swap;
      }
      return pool.slice(0, size);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Names: kanji, katakana reading, Hepburn romaji (long vowels written without macrons: Sato, Ito, Ota, Yuko)
// ---------------------------------------------------------------------------------------------------------------

type FamilyName = readonly [kanji: string, kana: string, romaji: string];

/** Ordered roughly by frequency; the generator favours the top of the list. */
const FAMILY_NAMES: readonly FamilyName[] = [
  ['佐藤', 'サトウ', 'Sato'],
  ['鈴木', 'スズキ', 'Suzuki'],
  ['高橋', 'タカハシ', 'Takahashi'],
  ['田中', 'タナカ', 'Tanaka'],
  ['伊藤', 'イトウ', 'Ito'],
  ['渡辺', 'ワタナベ', 'Watanabe'],
  ['山本', 'ヤマモト', 'Yamamoto'],
  ['中村', 'ナカムラ', 'Nakamura'],
  ['小林', 'コバヤシ', 'Kobayashi'],
  ['加藤', 'カトウ', 'Kato'],
  ['吉田', 'ヨシダ', 'Yoshida'],
  ['山田', 'ヤマダ', 'Yamada'],
  ['佐々木', 'ササキ', 'Sasaki'],
  ['山口', 'ヤマグチ', 'Yamaguchi'],
  ['松本', 'マツモト', 'Matsumoto'],
  ['井上', 'イノウエ', 'Inoue'],
  ['木村', 'キムラ', 'Kimura'],
  ['林', 'ハヤシ', 'Hayashi'],
  ['斎藤', 'サイトウ', 'Saito'],
  ['清水', 'シミズ', 'Shimizu'],
  ['山崎', 'ヤマザキ', 'Yamazaki'],
  ['森', 'モリ', 'Mori'],
  ['池田', 'イケダ', 'Ikeda'],
  ['橋本', 'ハシモト', 'Hashimoto'],
  ['阿部', 'アベ', 'Abe'],
  ['石川', 'イシカワ', 'Ishikawa'],
  ['山下', 'ヤマシタ', 'Yamashita'],
  ['中島', 'ナカジマ', 'Nakajima'],
  ['石井', 'イシイ', 'Ishii'],
  ['小川', 'オガワ', 'Ogawa'],
  ['前田', 'マエダ', 'Maeda'],
  ['岡田', 'オカダ', 'Okada'],
  ['長谷川', 'ハセガワ', 'Hasegawa'],
  ['藤田', 'フジタ', 'Fujita'],
  ['後藤', 'ゴトウ', 'Goto'],
  ['近藤', 'コンドウ', 'Kondo'],
  ['村上', 'ムラカミ', 'Murakami'],
  ['遠藤', 'エンドウ', 'Endo'],
  ['青木', 'アオキ', 'Aoki'],
  ['坂本', 'サカモト', 'Sakamoto'],
  ['斉藤', 'サイトウ', 'Saito'],
  ['福田', 'フクダ', 'Fukuda'],
  ['太田', 'オオタ', 'Ota'],
  ['西村', 'ニシムラ', 'Nishimura'],
  ['藤井', 'フジイ', 'Fujii'],
  ['金子', 'カネコ', 'Kaneko'],
  ['岡本', 'オカモト', 'Okamoto'],
  ['藤原', 'フジワラ', 'Fujiwara'],
  ['中野', 'ナカノ', 'Nakano'],
  ['三浦', 'ミウラ', 'Miura'],
  ['原田', 'ハラダ', 'Harada'],
  ['松田', 'マツダ', 'Matsuda'],
  ['竹内', 'タケウチ', 'Takeuchi'],
  ['小野', 'オノ', 'Ono'],
  ['田村', 'タムラ', 'Tamura'],
  ['中川', 'ナカガワ', 'Nakagawa'],
  ['和田', 'ワダ', 'Wada'],
  ['石田', 'イシダ', 'Ishida'],
  ['森田', 'モリタ', 'Morita'],
  ['上田', 'ウエダ', 'Ueda'],
  ['原', 'ハラ', 'Hara'],
  ['柴田', 'シバタ', 'Shibata'],
  ['酒井', 'サカイ', 'Sakai'],
  ['工藤', 'クドウ', 'Kudo'],
  ['横山', 'ヨコヤマ', 'Yokoyama'],
  ['宮崎', 'ミヤザキ', 'Miyazaki'],
  ['宮本', 'ミヤモト', 'Miyamoto'],
  ['内田', 'ウチダ', 'Uchida'],
  ['高木', 'タカギ', 'Takagi'],
  ['安藤', 'アンドウ', 'Ando'],
  ['島田', 'シマダ', 'Shimada'],
  ['谷口', 'タニグチ', 'Taniguchi'],
  ['大野', 'オオノ', 'Ono'],
  ['丸山', 'マルヤマ', 'Maruyama'],
  ['今井', 'イマイ', 'Imai'],
  ['藤本', 'フジモト', 'Fujimoto'],
  ['村田', 'ムラタ', 'Murata'],
  ['武田', 'タケダ', 'Takeda'],
  ['上野', 'ウエノ', 'Ueno'],
  ['杉山', 'スギヤマ', 'Sugiyama'],
  ['増田', 'マスダ', 'Masuda'],
  ['大塚', 'オオツカ', 'Otsuka'],
  ['平野', 'ヒラノ', 'Hirano'],
  ['菅原', 'スガワラ', 'Sugawara'],
  ['久保', 'クボ', 'Kubo'],
  ['松井', 'マツイ', 'Matsui'],
  ['千葉', 'チバ', 'Chiba'],
  ['岩崎', 'イワサキ', 'Iwasaki'],
  ['桜井', 'サクライ', 'Sakurai'],
  ['野口', 'ノグチ', 'Noguchi'],
  ['松尾', 'マツオ', 'Matsuo'],
  ['菊地', 'キクチ', 'Kikuchi'],
  ['木下', 'キノシタ', 'Kinoshita'],
  ['野村', 'ノムラ', 'Nomura'],
  ['新井', 'アライ', 'Arai'],
  ['佐野', 'サノ', 'Sano'],
  ['杉本', 'スギモト', 'Sugimoto'],
  ['大西', 'オオニシ', 'Onishi'],
];

type Gender = 'female' | 'male';

/** Given names with the birth years in which they were in common use, so ages and names fit together. */
type GivenName = readonly [kanji: string, kana: string, romaji: string, bornFrom: number, bornTo: number];

const MALE_GIVEN_NAMES: readonly GivenName[] = [
  ['誠', 'マコト', 'Makoto', 1961, 1985],
  ['健一', 'ケンイチ', 'Kenichi', 1961, 1980],
  ['浩', 'ヒロシ', 'Hiroshi', 1961, 1975],
  ['隆', 'タカシ', 'Takashi', 1961, 1978],
  ['修', 'オサム', 'Osamu', 1961, 1972],
  ['浩二', 'コウジ', 'Koji', 1961, 1980],
  ['秀樹', 'ヒデキ', 'Hideki', 1961, 1985],
  ['雄一', 'ユウイチ', 'Yuichi', 1961, 1982],
  ['慎一', 'シンイチ', 'Shinichi', 1961, 1982],
  ['哲也', 'テツヤ', 'Tetsuya', 1961, 1985],
  ['聡', 'サトシ', 'Satoshi', 1961, 1988],
  ['正樹', 'マサキ', 'Masaki', 1961, 1985],
  ['健', 'ケン', 'Ken', 1961, 1990],
  ['剛', 'ツヨシ', 'Tsuyoshi', 1963, 1985],
  ['直樹', 'ナオキ', 'Naoki', 1965, 1990],
  ['達也', 'タツヤ', 'Tatsuya', 1965, 1992],
  ['和也', 'カズヤ', 'Kazuya', 1970, 1995],
  ['大輔', 'ダイスケ', 'Daisuke', 1972, 1992],
  ['洋平', 'ヨウヘイ', 'Yohei', 1972, 1992],
  ['拓也', 'タクヤ', 'Takuya', 1975, 1995],
  ['亮', 'リョウ', 'Ryo', 1975, 1998],
  ['俊介', 'シュンスケ', 'Shunsuke', 1975, 1995],
  ['健太', 'ケンタ', 'Kenta', 1978, 1998],
  ['大樹', 'ダイキ', 'Daiki', 1980, 2000],
  ['裕太', 'ユウタ', 'Yuta', 1980, 1998],
  ['翔太', 'ショウタ', 'Shota', 1985, 2002],
  ['翔', 'ショウ', 'Sho', 1985, 2002],
  ['翼', 'ツバサ', 'Tsubasa', 1985, 2000],
  ['隼人', 'ハヤト', 'Hayato', 1985, 2002],
  ['海斗', 'カイト', 'Kaito', 1990, 2002],
  ['拓海', 'タクミ', 'Takumi', 1990, 2002],
  ['悠斗', 'ユウト', 'Yuto', 1993, 2002],
  ['陸', 'リク', 'Riku', 1993, 2002],
  ['颯太', 'ソウタ', 'Sota', 1995, 2002],
  ['悠真', 'ユウマ', 'Yuma', 1995, 2002],
  ['大翔', 'ヒロト', 'Hiroto', 1996, 2002],
  ['蓮', 'レン', 'Ren', 1996, 2002],
  ['湊', 'ミナト', 'Minato', 1998, 2002],
];

const FEMALE_GIVEN_NAMES: readonly GivenName[] = [
  ['幸子', 'サチコ', 'Sachiko', 1961, 1968],
  ['恵子', 'ケイコ', 'Keiko', 1961, 1972],
  ['典子', 'ノリコ', 'Noriko', 1961, 1975],
  ['京子', 'キョウコ', 'Kyoko', 1961, 1975],
  ['久美子', 'クミコ', 'Kumiko', 1961, 1978],
  ['明美', 'アケミ', 'Akemi', 1961, 1978],
  ['由美', 'ユミ', 'Yumi', 1961, 1980],
  ['裕子', 'ユウコ', 'Yuko', 1961, 1980],
  ['真由美', 'マユミ', 'Mayumi', 1961, 1980],
  ['真理子', 'マリコ', 'Mariko', 1961, 1980],
  ['直美', 'ナオミ', 'Naomi', 1961, 1982],
  ['陽子', 'ヨウコ', 'Yoko', 1961, 1982],
  ['優子', 'ユウコ', 'Yuko', 1961, 1985],
  ['智子', 'トモコ', 'Tomoko', 1961, 1985],
  ['恵', 'メグミ', 'Megumi', 1963, 1990],
  ['美穂', 'ミホ', 'Miho', 1965, 1990],
  ['理恵', 'リエ', 'Rie', 1965, 1990],
  ['美紀', 'ミキ', 'Miki', 1965, 1990],
  ['香織', 'カオリ', 'Kaori', 1968, 1992],
  ['沙織', 'サオリ', 'Saori', 1972, 1992],
  ['愛', 'アイ', 'Ai', 1976, 1995],
  ['麻衣', 'マイ', 'Mai', 1978, 1995],
  ['舞', 'マイ', 'Mai', 1978, 1995],
  ['彩', 'アヤ', 'Aya', 1978, 1998],
  ['千尋', 'チヒロ', 'Chihiro', 1978, 1998],
  ['綾香', 'アヤカ', 'Ayaka', 1980, 1998],
  ['奈々', 'ナナ', 'Nana', 1980, 2000],
  ['美咲', 'ミサキ', 'Misaki', 1985, 2002],
  ['瑞希', 'ミズキ', 'Mizuki', 1985, 2002],
  ['遥', 'ハルカ', 'Haruka', 1985, 2002],
  ['紗希', 'サキ', 'Saki', 1985, 2002],
  ['優花', 'ユウカ', 'Yuka', 1990, 2002],
  ['七海', 'ナナミ', 'Nanami', 1990, 2002],
  ['真央', 'マオ', 'Mao', 1990, 2002],
  ['結衣', 'ユイ', 'Yui', 1993, 2002],
  ['彩花', 'アヤカ', 'Ayaka', 1993, 2002],
  ['葵', 'アオイ', 'Aoi', 1995, 2002],
  ['凛', 'リン', 'Rin', 1995, 2002],
  ['莉子', 'リコ', 'Riko', 1995, 2002],
  ['陽菜', 'ヒナ', 'Hina', 1996, 2002],
  ['芽依', 'メイ', 'Mei', 1997, 2002],
];

function givenNamesByBirthYear(names: readonly GivenName[]): ReadonlyMap<number, readonly GivenName[]> {
  const byYear = new Map<number, readonly GivenName[]>();
  for (let year = MIN_BIRTH_YEAR; year <= MAX_BIRTH_YEAR; year++) {
    byYear.set(
      year,
      names.filter(([, , , from, to]) => from <= year && year <= to),
    );
  }
  return byYear;
}

const GIVEN_NAMES_BY_YEAR: Readonly<Record<Gender, ReadonlyMap<number, readonly GivenName[]>>> = {
  male: givenNamesByBirthYear(MALE_GIVEN_NAMES),
  female: givenNamesByBirthYear(FEMALE_GIVEN_NAMES),
};

// ---------------------------------------------------------------------------------------------------------------
// Departments, positions and what people did there
// ---------------------------------------------------------------------------------------------------------------

type Track = 'business' | 'engineering' | 'design' | 'research';

/** Titles by seniority level 0-4; a level may offer alternatives (repeated entries are more likely). */
const POSITION_LADDERS: Readonly<Record<Track, readonly (readonly string[])[]>> = {
  business: [['一般'], ['主任'], ['係長', '係長', 'リーダー'], ['課長', '課長', 'マネージャー'], ['部長', '部長', '次長']],
  engineering: [
    ['エンジニア'],
    ['シニアエンジニア'],
    ['リードエンジニア', 'テックリード'],
    ['エンジニアリングマネージャー', 'マネージャー'],
    ['部長'],
  ],
  design: [['デザイナー'], ['シニアデザイナー'], ['リードデザイナー', 'アートディレクター'], ['マネージャー'], ['部長']],
  research: [['研究員'], ['主任研究員'], ['上席研究員'], ['グループリーダー'], ['部長']],
};

interface CurrentRoles {
  junior: readonly string[];
  senior: readonly string[];
  executive: readonly string[];
  freelance: readonly string[];
}

interface Department {
  name: string;
  track: Track;
  tasks: readonly string[];
  skills: readonly string[];
  qualifications: readonly Weighted<string>[];
  related: readonly string[];
  roles: CurrentRoles;
  industries: readonly Weighted<string>[];
}

const IT = 'IT・ソフトウェア';
const CONSULTING = 'コンサルティング';
const FINANCE = '金融';
const HR_SERVICES = '人材サービス';
const MANUFACTURING = '製造業';
const ADVERTISING = '広告・マーケティング';
const HEALTHCARE = '医療・ヘルスケア';
const EDUCATION = '教育';
const REAL_ESTATE = '不動産';
const TRADING = '商社';
const RETAIL = '小売・EC';
const VENTURE_CAPITAL = 'ベンチャーキャピタル';
const NONPROFIT = 'NPO・公益法人';

const DEPARTMENTS: readonly Department[] = [
  {
    name: '営業部',
    track: 'business',
    tasks: ['法人営業', '新規顧客の開拓', '大手企業向けの提案営業', '代理店営業'],
    skills: ['法人営業', '提案営業', '新規開拓', '顧客折衝', '営業企画', 'Salesforce'],
    qualifications: [
      ['宅地建物取引士', 1],
      ['中小企業診断士', 0.3],
      ['ファイナンシャル・プランニング技能士2級', 2],
    ],
    related: ['マーケティング部', 'カスタマーサクセス部', '海外事業部', '事業開発部', '経営企画部'],
    roles: {
      junior: ['法人営業', 'インサイドセールス', 'アカウントエグゼクティブ'],
      senior: ['営業マネージャー', '営業部長', 'セールスマネージャー'],
      executive: ['執行役員', '取締役営業本部長'],
      freelance: ['営業コンサルタント'],
    },
    industries: [
      [IT, 4],
      [HR_SERVICES, 2],
      [TRADING, 2],
      [MANUFACTURING, 2],
      [FINANCE, 1],
      [REAL_ESTATE, 1],
      [RETAIL, 1],
    ],
  },
  {
    name: '開発本部',
    track: 'engineering',
    tasks: ['自社サービスの開発', 'バックエンド開発', 'フロントエンド開発', '基幹システムの設計', '開発基盤の整備'],
    skills: ['TypeScript', 'Java', 'Go', 'Python', 'AWS', 'React', 'システム設計', 'Kubernetes'],
    qualifications: [
      ['基本情報技術者', 4],
      ['応用情報技術者', 3],
      ['AWS認定ソリューションアーキテクト', 2],
      ['情報処理安全確保支援士', 1],
    ],
    related: ['情報システム部', '研究開発部', '事業開発部'],
    roles: {
      junior: ['ソフトウェアエンジニア', 'バックエンドエンジニア', 'フロントエンドエンジニア'],
      senior: ['テックリード', 'エンジニアリングマネージャー', 'プロダクトマネージャー'],
      executive: ['CTO', 'VPoE'],
      freelance: ['Webエンジニア', 'ソフトウェアエンジニア'],
    },
    industries: [
      [IT, 8],
      [FINANCE, 1],
      [HEALTHCARE, 1],
      [RETAIL, 1],
      [CONSULTING, 1],
    ],
  },
  {
    name: 'マーケティング部',
    track: 'business',
    tasks: ['デジタルマーケティング', '広告運用', 'ブランド戦略の立案', '市場調査', 'イベント企画'],
    skills: ['デジタルマーケティング', '広告運用', 'SEO', 'ブランディング', '市場調査', 'データ分析'],
    qualifications: [
      ['ウェブ解析士', 2],
      ['統計検定2級', 1],
    ],
    related: ['営業部', '広報部', '事業開発部', 'カスタマーサクセス部'],
    roles: {
      junior: ['マーケター', 'デジタルマーケター', 'コンテンツマーケター'],
      senior: ['マーケティングマネージャー', 'ブランドマネージャー', 'プロダクトマネージャー'],
      executive: ['CMO', '執行役員'],
      freelance: ['マーケティングコンサルタント', 'Webマーケター'],
    },
    industries: [
      [ADVERTISING, 4],
      [IT, 3],
      [RETAIL, 2],
      [HEALTHCARE, 1],
    ],
  },
  {
    name: '人事部',
    track: 'business',
    tasks: ['新卒採用', '中途採用', '人事制度の設計', '労務管理', '社員研修の企画'],
    skills: ['採用', '人事制度設計', '労務管理', '組織開発', '研修企画', '評価制度運用'],
    qualifications: [
      ['社会保険労務士', 2],
      ['キャリアコンサルタント', 3],
      ['第一種衛生管理者', 2],
    ],
    related: ['総務部', '経営企画部', '広報部'],
    roles: {
      junior: ['人事', '採用担当', '人事労務担当'],
      senior: ['人事マネージャー', '人事部長', '組織人事コンサルタント'],
      executive: ['CHRO', '執行役員'],
      freelance: ['人事コンサルタント', 'キャリアコーチ'],
    },
    industries: [
      [HR_SERVICES, 3],
      [IT, 3],
      [CONSULTING, 2],
      [MANUFACTURING, 1],
      [EDUCATION, 1],
    ],
  },
  {
    name: 'カスタマーサクセス部',
    track: 'business',
    tasks: ['法人顧客のオンボーディング', 'サポート体制の構築', '解約率の改善', '顧客満足度の向上'],
    skills: ['カスタマーサクセス', 'オンボーディング', '顧客分析', 'サポート体制構築', 'Zendesk'],
    qualifications: [['ITパスポート', 1]],
    related: ['営業部', 'マーケティング部', '事業開発部'],
    roles: {
      junior: ['カスタマーサクセス', 'カスタマーサポート'],
      senior: ['カスタマーサクセスマネージャー', 'カスタマーサクセス部長'],
      executive: ['執行役員'],
      freelance: ['カスタマーサクセスコンサルタント'],
    },
    industries: [
      [IT, 5],
      [HR_SERVICES, 1],
      [EDUCATION, 1],
    ],
  },
  {
    name: '経理部',
    track: 'business',
    tasks: ['月次・年次決算', '管理会計', '税務対応', '予算管理'],
    skills: ['財務会計', '管理会計', '決算業務', '税務', '予算管理', '連結会計'],
    qualifications: [
      ['日商簿記2級', 6],
      ['日商簿記1級', 2],
      ['税理士', 0.5],
    ],
    related: ['経営企画部', '総務部'],
    roles: {
      junior: ['経理', '財務担当'],
      senior: ['経理マネージャー', '財務部長', '管理部長'],
      executive: ['CFO'],
      freelance: ['経理コンサルタント'],
    },
    industries: [
      [MANUFACTURING, 2],
      [FINANCE, 2],
      [IT, 2],
      [CONSULTING, 1],
      [RETAIL, 1],
    ],
  },
  {
    name: '経営企画部',
    track: 'business',
    tasks: ['中期経営計画の策定', '予算管理', '新規投資の検討', 'IR'],
    skills: ['事業計画策定', '経営分析', '予算管理', 'M&A', 'データ分析', 'IR'],
    qualifications: [
      ['中小企業診断士', 1],
      ['日商簿記2級', 2],
      ['証券アナリスト', 1],
    ],
    related: ['事業開発部', '経理部', '海外事業部', '人事部'],
    roles: {
      junior: ['経営企画', '事業企画'],
      senior: ['経営企画室長', '戦略コンサルタント', '事業企画マネージャー'],
      executive: ['CFO', 'COO', '執行役員'],
      freelance: ['経営コンサルタント'],
    },
    industries: [
      [CONSULTING, 3],
      [IT, 2],
      [FINANCE, 2],
      [VENTURE_CAPITAL, 1],
      [MANUFACTURING, 1],
    ],
  },
  {
    name: '情報システム部',
    track: 'business',
    tasks: ['社内ITインフラの運用', '情報セキュリティ対策', '社内システムの導入', 'ヘルプデスク'],
    skills: ['ITインフラ', 'ネットワーク', '情報セキュリティ', 'SaaS導入', 'ヘルプデスク', 'AWS'],
    qualifications: [
      ['基本情報技術者', 3],
      ['応用情報技術者', 2],
      ['ネットワークスペシャリスト', 1],
      ['情報処理安全確保支援士', 1],
    ],
    related: ['開発本部', '総務部'],
    roles: {
      junior: ['社内SE', 'インフラエンジニア'],
      senior: ['情報システム部長', 'ITコンサルタント', 'セキュリティエンジニア'],
      executive: ['CIO'],
      freelance: ['ITコンサルタント', 'インフラエンジニア'],
    },
    industries: [
      [IT, 4],
      [CONSULTING, 2],
      [MANUFACTURING, 1],
      [FINANCE, 1],
    ],
  },
  {
    name: '研究開発部',
    track: 'research',
    tasks: ['新素材の研究', 'データ解析手法の研究', '新製品の研究開発', '機械学習モデルの研究'],
    skills: ['機械学習', '統計解析', 'Python', '特許調査', '実験計画', '論文執筆'],
    qualifications: [
      ['統計検定2級', 2],
      ['技術士', 1],
      ['E資格', 1],
    ],
    related: ['開発本部', '事業開発部'],
    roles: {
      junior: ['研究員', 'データサイエンティスト'],
      senior: ['主任研究員', '研究開発マネージャー', 'データサイエンティスト'],
      executive: ['CTO'],
      freelance: ['データサイエンティスト', 'テクニカルライター'],
    },
    industries: [
      [MANUFACTURING, 3],
      [HEALTHCARE, 2],
      [IT, 2],
      [EDUCATION, 1],
    ],
  },
  {
    name: '海外事業部',
    track: 'business',
    tasks: ['海外拠点の立ち上げ', 'アジア市場の開拓', '海外パートナーとの交渉', '輸出入業務'],
    skills: ['英語', '中国語', '海外営業', '貿易実務', '海外拠点立ち上げ', '異文化マネジメント'],
    qualifications: [
      ['TOEIC', 5],
      ['通関士', 1],
      ['中国語検定2級', 1],
    ],
    related: ['営業部', '経営企画部', '事業開発部'],
    roles: {
      junior: ['海外営業', '貿易事務'],
      senior: ['海外事業マネージャー', 'カントリーマネージャー'],
      executive: ['執行役員', '現地法人社長'],
      freelance: ['翻訳者', '海外進出コンサルタント'],
    },
    industries: [
      [TRADING, 3],
      [MANUFACTURING, 2],
      [IT, 2],
      [CONSULTING, 1],
    ],
  },
  {
    name: '総務部',
    track: 'business',
    tasks: ['総務全般', 'オフィス移転', 'ファシリティ管理', '社内規程の整備'],
    skills: ['総務', 'ファシリティマネジメント', '株主総会運営', '規程管理', '労務管理'],
    qualifications: [
      ['第一種衛生管理者', 2],
      ['宅地建物取引士', 1],
      ['ビジネス実務法務検定2級', 1],
    ],
    related: ['人事部', '法務部', '経理部'],
    roles: {
      junior: ['総務', '総務担当'],
      senior: ['総務部長', '管理部長'],
      executive: ['取締役管理本部長'],
      freelance: ['バックオフィス支援コンサルタント'],
    },
    industries: [
      [MANUFACTURING, 2],
      [IT, 2],
      [REAL_ESTATE, 1],
      [NONPROFIT, 1],
    ],
  },
  {
    name: '事業開発部',
    track: 'business',
    tasks: ['新規事業の立ち上げ', 'アライアンスの推進', '事業計画の策定'],
    skills: ['新規事業開発', 'アライアンス', '事業計画策定', 'プロジェクトマネジメント', '市場調査'],
    qualifications: [
      ['中小企業診断士', 1],
      ['PMP', 2],
    ],
    related: ['経営企画部', '営業部', 'マーケティング部'],
    roles: {
      junior: ['事業開発', 'BizDev'],
      senior: ['事業開発マネージャー', '事業部長', 'プロダクトマネージャー'],
      executive: ['COO', '執行役員'],
      freelance: ['事業開発コンサルタント'],
    },
    industries: [
      [IT, 4],
      [CONSULTING, 2],
      [VENTURE_CAPITAL, 1],
      [HEALTHCARE, 1],
    ],
  },
  {
    name: 'デザイン部',
    track: 'design',
    tasks: ['UXデザイン', 'プロダクトのUIデザイン', 'デザインシステムの構築', 'ユーザーリサーチ'],
    skills: ['UXデザイン', 'UIデザイン', 'Figma', 'デザインシステム', 'ユーザーリサーチ'],
    qualifications: [
      ['ウェブデザイン技能検定2級', 2],
      ['色彩検定2級', 1],
    ],
    related: ['開発本部', 'マーケティング部'],
    roles: {
      junior: ['UXデザイナー', 'UIデザイナー', 'プロダクトデザイナー'],
      senior: ['デザインマネージャー', 'アートディレクター', 'クリエイティブディレクター'],
      executive: ['CDO'],
      freelance: ['UXデザイナー', 'グラフィックデザイナー'],
    },
    industries: [
      [IT, 4],
      [ADVERTISING, 3],
      [RETAIL, 1],
    ],
  },
  {
    name: '法務部',
    track: 'business',
    tasks: ['契約審査', 'コンプライアンス対応', '知的財産の管理', '株主総会の運営'],
    skills: ['契約審査', '企業法務', 'コンプライアンス', '知的財産', '英文契約'],
    qualifications: [
      ['ビジネス実務法務検定2級', 3],
      ['知的財産管理技能検定2級', 2],
    ],
    related: ['総務部', '経営企画部', '人事部'],
    roles: {
      junior: ['法務', '企業法務担当'],
      senior: ['法務マネージャー', '法務部長'],
      executive: ['ジェネラルカウンセル'],
      freelance: ['法務コンサルタント'],
    },
    industries: [
      [IT, 2],
      [MANUFACTURING, 2],
      [FINANCE, 2],
      [CONSULTING, 1],
    ],
  },
  {
    name: '広報部',
    track: 'business',
    tasks: ['プレスリリースの作成', 'メディア対応', '社内広報', 'SNS運用'],
    skills: ['広報', 'PR', 'メディアリレーション', '社内広報', 'SNS運用', 'ライティング'],
    qualifications: [['PRプランナー', 2]],
    related: ['マーケティング部', '人事部', '経営企画部'],
    roles: {
      junior: ['広報', 'PR担当'],
      senior: ['広報マネージャー', 'PRディレクター'],
      executive: ['執行役員'],
      freelance: ['PRコンサルタント', 'ライター'],
    },
    industries: [
      [ADVERTISING, 3],
      [IT, 2],
      [HEALTHCARE, 1],
      [NONPROFIT, 1],
    ],
  },
];

const DEPARTMENT_SHARES: Readonly<Record<string, number>> = {
  営業部: 18,
  開発本部: 14,
  マーケティング部: 8,
  人事部: 7,
  カスタマーサクセス部: 7,
  経理部: 6,
  経営企画部: 5,
  情報システム部: 5,
  研究開発部: 5,
  海外事業部: 5,
  総務部: 5,
  事業開発部: 5,
  デザイン部: 4,
  法務部: 3,
  広報部: 3,
};

const DEPARTMENT_WEIGHTS: readonly Weighted<Department>[] = DEPARTMENTS.map(
  (department) => [department, DEPARTMENT_SHARES[department.name] ?? 1] as const,
);

const DEPARTMENTS_BY_NAME: ReadonlyMap<string, Department> = new Map(DEPARTMENTS.map((d) => [d.name, d]));

function departmentNamed(name: string): Department {
  const department = DEPARTMENTS_BY_NAME.get(name);
  if (!department) throw new Error(`Unknown demo department: ${name}`);
  return department;
}

const GENERAL_SKILLS: readonly string[] = [
  'プロジェクトマネジメント',
  '英語',
  '英語',
  '中国語',
  '韓国語',
  'プレゼンテーション',
  'Excel',
  'ファシリテーション',
  'データ分析',
  'コーチング',
  'ロジカルシンキング',
];

const GENERAL_QUALIFICATIONS: readonly Weighted<string>[] = [
  ['TOEIC', 6],
  ['ITパスポート', 2],
  ['日商簿記2級', 2],
  ['ファイナンシャル・プランニング技能士2級', 1],
  ['基本情報技術者', 1],
  ['PMP', 0.5],
  ['宅地建物取引士', 0.5],
  ['中小企業診断士', 0.3],
];

const TOEIC_SCORES: readonly Weighted<number>[] = [
  [730, 2],
  [780, 2],
  [800, 3],
  [850, 3],
  [860, 2],
  [900, 3],
  [950, 1],
];

// ---------------------------------------------------------------------------------------------------------------
// Where people live, what they care about, where they went
// ---------------------------------------------------------------------------------------------------------------

const EMPLOYEE_LOCATIONS: readonly Weighted<string>[] = [
  ['東京都千代田区', 3],
  ['東京都港区', 4],
  ['東京都渋谷区', 4],
  ['東京都新宿区', 3],
  ['東京都品川区', 4],
  ['東京都世田谷区', 6],
  ['東京都目黒区', 3],
  ['東京都中央区', 3],
  ['東京都江東区', 4],
  ['東京都杉並区', 4],
  ['東京都練馬区', 3],
  ['東京都武蔵野市', 2],
  ['神奈川県横浜市', 7],
  ['神奈川県川崎市', 5],
  ['埼玉県さいたま市', 4],
  ['千葉県千葉市', 2],
  ['千葉県船橋市', 2],
  ['大阪府大阪市', 6],
  ['兵庫県神戸市', 2],
  ['愛知県名古屋市', 4],
  ['福岡県福岡市', 4],
  ['北海道札幌市', 2],
  ['宮城県仙台市', 2],
];

const ALUMNI_DOMESTIC_LOCATIONS: readonly Weighted<string>[] = [
  ...EMPLOYEE_LOCATIONS,
  ['神奈川県鎌倉市', 2],
  ['京都府京都市', 3],
  ['広島県広島市', 2],
  ['静岡県静岡市', 1],
  ['長野県松本市', 1],
  ['長野県軽井沢町', 1],
  ['石川県金沢市', 1],
  ['沖縄県那覇市', 1],
  ['茨城県つくば市', 1],
  ['新潟県新潟市', 1],
];

const OVERSEAS_LOCATIONS: readonly Weighted<string>[] = [
  ['シンガポール', 4],
  ['ニューヨーク', 3],
  ['上海', 2],
  ['バンコク', 2],
  ['ロンドン', 2],
  ['サンフランシスコ', 2],
  ['ホーチミン', 1],
];

const BUSINESS_INTERESTS: readonly string[] = [
  '新規事業',
  'スタートアップ投資',
  'DX推進',
  '地方創生',
  '人材育成',
  'サステナビリティ',
  '海外展開',
  '事業承継',
  'AI活用',
  '起業',
  'ヘルスケア',
  '教育',
  '副業・複業',
  'キャリア教育',
];

const HOBBIES: readonly string[] = [
  '登山',
  '写真',
  '料理',
  'ランニング',
  '読書',
  'キャンプ',
  'ゴルフ',
  '釣り',
  '旅行',
  '映画鑑賞',
  'ヨガ',
  'サウナ',
  '将棋',
  'テニス',
  'ギター',
  '陶芸',
  'カフェ巡り',
  '日本酒',
  '御朱印巡り',
  'ピアノ',
];

const VOLUNTEER_ACTIVITIES: readonly string[] = [
  '子ども食堂',
  '地域清掃',
  '災害支援',
  'プロボノ',
  '学習支援',
  '環境保全',
  '国際協力',
  '高齢者支援',
  '動物保護',
];

/** Fictional company-name parts by industry: katakana stems take the first suffix list, kanji stems the second. */
const COMPANY_SUFFIXES: Readonly<Record<string, readonly [kana: readonly string[], kanji: readonly string[]]>> = {
  [IT]: [
    ['テック', 'ソフト', 'システムズ', 'ラボ', 'デジタル', 'クラウド', 'ワークス'],
    ['システム', 'ソフトウェア', 'テクノロジーズ'],
  ],
  [CONSULTING]: [
    ['コンサルティング', 'パートナーズ', 'アドバイザリー', 'ストラテジー'],
    ['総研', 'コンサルティング', '経営研究所'],
  ],
  [FINANCE]: [
    ['キャピタル', 'フィナンシャル', 'アセットマネジメント'],
    ['証券', 'ファイナンス', 'アセットマネジメント'],
  ],
  [HR_SERVICES]: [
    ['キャリア', 'ワークス', 'リンク', 'エージェント'],
    ['キャリア', '人材開発'],
  ],
  [MANUFACTURING]: [
    ['マテリアル', 'エレクトロニクス'],
    ['工業', '精機', '製作所', '化学', '電機'],
  ],
  [ADVERTISING]: [
    ['クリエイティブ', 'エージェンシー', 'コミュニケーションズ', 'メディア'],
    ['企画', '広告'],
  ],
  [HEALTHCARE]: [
    ['ヘルスケア', 'メディカル', 'ファーマ', 'ライフサイエンス'],
    ['製薬', 'メディカル'],
  ],
  [EDUCATION]: [
    ['エデュケーション', 'アカデミー', 'スクール'],
    ['学舎', '教育研究所'],
  ],
  [REAL_ESTATE]: [
    ['エステート', 'ホーム', 'リアルティ'],
    ['不動産', '地所', '住宅'],
  ],
  [TRADING]: [
    ['トレーディング', 'インターナショナル'],
    ['商事', '物産', '通商'],
  ],
  [RETAIL]: [
    ['マーケット', 'ストア', 'リテール', 'コマース'],
    ['商店', 'ストア'],
  ],
  [VENTURE_CAPITAL]: [
    ['ベンチャーズ', 'キャピタル', 'インベストメント'],
    ['キャピタル', 'ベンチャーズ'],
  ],
  [NONPROFIT]: [
    ['', 'ネットワーク', 'プロジェクト'],
    ['', '基金', 'ネットワーク'],
  ],
};

const KANA_STEMS: readonly string[] = [
  'ミライ',
  'ソラノ',
  'アオバ',
  'ヒカリ',
  'ツナグ',
  'カケハシ',
  'ミドリ',
  'ハルカ',
  'コダマ',
  'ミナモ',
  'ユイ',
  'アカツキ',
  'ナギ',
  'イロハ',
  'トモシビ',
  'ホシゾラ',
  'ワカバ',
  'クスノキ',
  'アマネ',
  'ツバメ',
  'カエデ',
  'シオン',
  'ヒナタ',
  'ノゾミ',
];

const KANJI_STEMS: readonly string[] = [
  '東雲',
  '青葉',
  '北斗',
  '朝凪',
  '星川',
  '白樺',
  '瑞穂',
  '常盤',
  '光陽',
  '蒼天',
  '若葉',
  '紅陽',
];

/** Industries people sometimes move into regardless of their old department. */
const SIDE_STEP_INDUSTRIES: readonly Weighted<string>[] = [
  [NONPROFIT, 2],
  [EDUCATION, 2],
  [CONSULTING, 2],
  [VENTURE_CAPITAL, 1],
];

const EXECUTIVE_VERB_TITLES: ReadonlySet<string> = new Set([
  'CTO',
  'CFO',
  'COO',
  'CMO',
  'CHRO',
  'CIO',
  'CDO',
  'VPoE',
  '執行役員',
  '取締役営業本部長',
  '取締役管理本部長',
  '現地法人社長',
  'ジェネラルカウンセル',
  '顧問',
  '代表取締役',
  '代表社員',
  '理事',
  '事務局長',
]);

/** Roles that name a function rather than a person, so a bio says 「〜を担当しています」. */
const FUNCTION_ROLES: ReadonlySet<string> = new Set([
  '法人営業',
  'インサイドセールス',
  '人事',
  '経理',
  '法務',
  '総務',
  '広報',
  '経営企画',
  '事業企画',
  '事業開発',
  'BizDev',
  'カスタマーサクセス',
  'カスタマーサポート',
  '海外営業',
  '貿易事務',
]);

// ---------------------------------------------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------------------------------------------

type EntryRoute = 'newGraduate' | 'midCareer';

interface CareerOutcome {
  entries: DemoCareerEntry[];
  departments: Department[];
  levels: number[];
}

interface CurrentWork {
  company: string | null;
  industry: string | null;
  position: string | null;
  kind: 'employed' | 'founder' | 'freelance' | 'between' | 'retired' | 'stillEmployed';
}

function assertIndex(index: number): void {
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new RangeError(`demoPerson index must be a non-negative safe integer, got ${index}`);
  }
}

function assertSeed(seed: number): void {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`demo seed must be a safe integer, got ${seed}`);
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Skewed towards the most common family names. */
function pickFamilyName(rng: Rng): FamilyName {
  return FAMILY_NAMES[Math.floor(FAMILY_NAMES.length * rng.next() ** 1.7)];
}

function pickGivenName(rng: Rng, gender: Gender, birthYear: number): GivenName {
  const candidates = GIVEN_NAMES_BY_YEAR[gender].get(birthYear);
  if (!candidates || candidates.length === 0) throw new Error(`No demo given names for ${birthYear}`);
  return rng.pick(candidates);
}

function pickBirthYear(rng: Rng, status: DemoPersonStatus): number {
  const spread = MAX_BIRTH_YEAR - MIN_BIRTH_YEAR + 1;
  const triangular = (rng.next() + rng.next()) / 2;
  const shaped = status === 'alumni' ? triangular ** 1.25 : triangular;
  return MAX_BIRTH_YEAR - Math.floor(spread * shaped);
}

function formatBirthDate(rng: Rng, year: number): string {
  const month = rng.int(1, 12);
  const day = rng.int(1, daysInMonth(year, month));
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/** Seniority level 0-4 from age, shifted down for a personal pace so not everybody becomes a manager. */
function levelForAge(age: number, pace: number): number {
  const base = age < 27 ? 0 : age < 32 ? 1 : age < 38 ? 2 : age < 47 ? 3 : 4;
  return Math.max(0, base - pace);
}

function titleFor(rng: Rng, department: Department, level: number): string {
  return rng.pick(POSITION_LADDERS[department.track][level]);
}

function buildCareer(
  rng: Rng,
  birthYear: number,
  joinedYear: number,
  leftYear: number | null,
): CareerOutcome {
  const endYear = leftYear ?? DEMO_REFERENCE_YEAR;
  const firstSplit = joinedYear + 1;
  const lastSplit = leftYear === null ? DEMO_REFERENCE_YEAR : leftYear - 1;
  const splitYears: number[] = [];
  for (let year = firstSplit; year <= lastSplit; year++) splitYears.push(year);

  const wanted = rng.weighted<number>([
    [1, 45],
    [2, 35],
    [3, 20],
  ]);
  const splits = rng.sample(splitYears, Math.min(wanted - 1, splitYears.length)).sort((a, b) => a - b);
  const boundaries = [joinedYear, ...splits];
  const pace = rng.weighted<number>([
    [0, 40],
    [1, 42],
    [2, 18],
  ]);

  const departments: Department[] = [];
  const levels: number[] = [];
  const entries: DemoCareerEntry[] = [];
  let department = rng.weighted(DEPARTMENT_WEIGHTS);
  for (let i = 0; i < boundaries.length; i++) {
    const fromYear = boundaries[i];
    const toYear = i + 1 < boundaries.length ? boundaries[i + 1] : leftYear;
    if (i > 0 && rng.chance(0.55)) department = departmentNamed(rng.pick(department.related));
    const level = levelForAge((toYear ?? endYear) - birthYear, pace);
    const previous = entries[i - 1];
    const stayed = previous !== undefined && previous.department === department.name;
    let position = stayed && levels[i - 1] === level ? previous.position : titleFor(rng, department, level);
    if (stayed && previous.position === position) {
      department = departmentNamed(rng.pick(department.related));
      position = titleFor(rng, department, level);
    }
    departments.push(department);
    levels.push(level);
    entries.push({ department: department.name, position, fromYear, toYear });
  }
  return { entries, departments, levels };
}

function pickSkills(rng: Rng, career: CareerOutcome, level: number, overseas: boolean): string[] {
  const last = career.departments[career.departments.length - 1];
  const skills: string[] = rng.sample(
    last.skills,
    rng.weighted<number>([
      [1, 30],
      [2, 45],
      [3, 25],
    ]),
  );
  for (const earlier of career.departments.slice(0, -1)) {
    if (earlier !== last && rng.chance(0.5)) skills.push(rng.pick(earlier.skills));
  }
  if (level >= 3 && rng.chance(0.4)) skills.push('チームマネジメント');
  if ((overseas || last.name === '海外事業部') && rng.chance(0.7)) skills.push('英語');
  const general = rng.weighted<number>([
    [0, 35],
    [1, 45],
    [2, 20],
  ]);
  skills.push(...rng.sample(GENERAL_SKILLS, general));
  const unique = [...new Set(skills)].slice(0, 6);
  while (unique.length < 2) {
    const extra = rng.pick(GENERAL_SKILLS);
    if (!unique.includes(extra)) unique.push(extra);
  }
  return unique;
}

function pickQualifications(
  rng: Rng,
  career: CareerOutcome,
  birthYear: number,
  joinedYear: number,
): DemoQualification[] {
  const count = rng.weighted<number>([
    [0, 45],
    [1, 38],
    [2, 17],
  ]);
  if (count === 0) return [];
  const pool: Weighted<string>[] = [...GENERAL_QUALIFICATIONS];
  for (const department of career.departments) {
    for (const [name, weight] of department.qualifications) pool.push([name, weight * 3]);
  }
  const names: string[] = [];
  for (let attempt = 0; attempt < 8 && names.length < count; attempt++) {
    const name = rng.weighted(pool);
    if (!names.includes(name)) names.push(name);
  }
  const earliest = Math.min(DEMO_REFERENCE_YEAR, Math.max(birthYear + 20, joinedYear - 3));
  return names
    .map((name) => ({
      name: name === 'TOEIC' ? `TOEIC ${rng.weighted(TOEIC_SCORES)}点` : name,
      year: rng.int(earliest, DEMO_REFERENCE_YEAR),
    }))
    .sort((a, b) => a.year - b.year);
}

function pickInterests(rng: Rng): DemoInterests {
  return {
    business: rng.sample(
      BUSINESS_INTERESTS,
      rng.weighted<number>([
        [0, 20],
        [1, 35],
        [2, 30],
        [3, 15],
      ]),
    ),
    hobby: rng.sample(
      HOBBIES,
      rng.weighted<number>([
        [0, 10],
        [1, 35],
        [2, 35],
        [3, 20],
      ]),
    ),
    volunteer: rng.sample(
      VOLUNTEER_ACTIVITIES,
      rng.weighted<number>([
        [0, 55],
        [1, 30],
        [2, 12],
        [3, 3],
      ]),
    ),
  };
}

function pickLocation(rng: Rng, status: DemoPersonStatus, department: Department): string {
  const overseasChance = department.name === '海外事業部' ? 0.35 : status === 'alumni' ? 0.04 : 0.01;
  if (rng.chance(overseasChance)) return rng.weighted(OVERSEAS_LOCATIONS);
  return rng.weighted(status === 'alumni' ? ALUMNI_DOMESTIC_LOCATIONS : EMPLOYEE_LOCATIONS);
}

function companyName(rng: Rng, industry: string, legalForm: '株式会社' | '合同会社' | null): string {
  const [kanaSuffixes, kanjiSuffixes] = COMPANY_SUFFIXES[industry] ?? COMPANY_SUFFIXES[IT];
  const useKanji = rng.chance(0.3);
  const stem = rng.pick(useKanji ? KANJI_STEMS : KANA_STEMS);
  const suffix = rng.pick(useKanji ? kanjiSuffixes : kanaSuffixes);
  if (industry === NONPROFIT) {
    return `${rng.chance(0.6) ? '特定非営利活動法人' : '一般社団法人'}${stem}${suffix}`;
  }
  const base = legalForm === '合同会社' && !useKanji && rng.chance(0.5) ? stem : `${stem}${suffix}`;
  const form = legalForm ?? (rng.chance(0.12) ? '合同会社' : '株式会社');
  return rng.chance(0.7) ? `${form}${base}` : `${base}${form}`;
}

function pickCurrentWork(
  rng: Rng,
  department: Department,
  level: number,
  ageNow: number,
  ageAtLeaving: number,
): CurrentWork {
  const retired = ageAtLeaving >= RETIREMENT_AGE;
  if (retired && rng.chance(0.6)) return { company: null, industry: null, position: null, kind: 'retired' };
  if (!retired && rng.chance(0.07)) return { company: null, industry: null, position: null, kind: 'between' };

  const industries = rng.chance(0.85) ? department.industries : [...department.industries, ...SIDE_STEP_INDUSTRIES];
  const industry = rng.weighted(industries);
  if (retired) {
    return {
      company: companyName(rng, industry, null),
      industry,
      position: rng.pick(['顧問', 'アドバイザー', ...department.roles.senior]),
      kind: 'employed',
    };
  }
  const roll = rng.next();
  if (roll < 0.07 && ageNow >= 28) {
    const legalForm = rng.chance(0.6) ? '株式会社' : '合同会社';
    return {
      company: companyName(rng, industry === NONPROFIT ? CONSULTING : industry, legalForm),
      industry: industry === NONPROFIT ? CONSULTING : industry,
      position: legalForm === '株式会社' ? '代表取締役' : '代表社員',
      kind: 'founder',
    };
  }
  if (roll < 0.17) {
    return { company: 'フリーランス', industry, position: rng.pick(department.roles.freelance), kind: 'freelance' };
  }
  const company = companyName(rng, industry, null);
  if (industry === NONPROFIT) {
    const position =
      level >= 3 && rng.chance(0.5)
        ? rng.pick(['事務局長', '理事'])
        : rng.pick(['プログラムマネージャー', 'プログラムオフィサー', 'コーディネーター']);
    return { company, industry, position, kind: 'employed' };
  }
  const senior = level >= 3 || (ageNow >= 38 && rng.chance(0.5));
  const executive = senior && (level >= 3 || ageNow >= 45) && rng.chance(0.15);
  let position: string;
  if (industry === CONSULTING && rng.chance(0.5)) {
    position = senior ? rng.pick(['シニアコンサルタント', 'マネージャー', 'パートナー']) : 'コンサルタント';
  } else if (senior) {
    position = executive ? rng.pick(department.roles.executive) : rng.pick(department.roles.senior);
  } else {
    position = rng.pick(department.roles.junior);
  }
  return { company, industry, position, kind: 'employed' };
}

function task(rng: Rng, department: Department): string {
  return rng.pick(department.tasks);
}

function distinctEarlierDepartments(entries: readonly DemoCareerEntry[]): string[] {
  const last = entries[entries.length - 1].department;
  const seen: string[] = [];
  for (const entry of entries.slice(0, -1)) {
    if (entry.department !== last && !seen.includes(entry.department)) seen.push(entry.department);
  }
  return seen;
}

function joinPhrase(rng: Rng, joinedYear: number, route: EntryRoute): string {
  if (route === 'newGraduate' && rng.chance(0.4)) return `${joinedYear}年に新卒で入社し`;
  if (route === 'midCareer' && rng.chance(0.6)) return `${joinedYear}年に中途入社し`;
  return `${joinedYear}年に入社し`;
}

function roleAt(department: string, position: string, level: number, work: string, now: boolean): string {
  if (level === 0) return `${department}で${work}を担当${now ? 'しています' : 'しました'}`;
  if (position === '次長') return `${department}の次長として部門運営を支え${now ? 'ています' : 'ました'}`;
  if (level >= 4) return `${department}の${position}として部門を率い${now ? 'ています' : 'ました'}`;
  return `${department}の${position}として${work}を担当${now ? 'しています' : 'しました'}`;
}

function careerSentence(
  rng: Rng,
  status: DemoPersonStatus,
  career: CareerOutcome,
  joinedYear: number,
  route: EntryRoute,
): string {
  const entries = career.entries;
  const last = entries[entries.length - 1];
  const lastDepartment = career.departments[career.departments.length - 1];
  const level = career.levels[career.levels.length - 1];
  const work = task(rng, lastDepartment);
  const earlier = distinctEarlierDepartments(entries);
  const now = status === 'employee';

  if (entries.length > 1 && earlier.length === 0) {
    return now
      ? `${joinedYear}年の入社以来、${last.department}一筋で${work}に携わり、現在は${last.position}を務めています。`
      : `${joinedYear}年の入社以来、${last.department}一筋で${work}に携わり、${last.position}を務めました。`;
  }
  const role = roleAt(last.department, last.position, level, work, now);
  const path = earlier.length > 0 ? `${earlier.join('、')}を経て、` : '';
  return `${joinPhrase(rng, joinedYear, route)}、${path}${now ? '現在は' : ''}${role}。`;
}

function currentWorkSentence(
  rng: Rng,
  work: CurrentWork,
  leftYear: number,
  retiredAtLeaving: boolean,
  interests: DemoInterests,
): string {
  const leaving = retiredAtLeaving ? `${leftYear}年に定年退職し` : `${leftYear}年に退職し`;
  switch (work.kind) {
    case 'founder':
      return `${leftYear}年に独立し、${work.company ?? ''}を設立しました。`;
    case 'freelance':
      return `${leaving}、現在はフリーランスの${work.position ?? ''}として活動しています。`;
    case 'between':
      return rng.chance(0.3)
        ? `${leaving}、現在は学び直しのため大学院に通っています。`
        : `${leaving}、現在は次のキャリアに向けて充電中です。`;
    case 'retired':
    case 'stillEmployed': {
      const volunteer = interests.volunteer[0];
      const hobby = interests.hobby[0];
      if (volunteer) return `${leaving}、現在は${volunteer}の活動に力を入れています。`;
      if (hobby) return `${leaving}、現在は${hobby}を楽しみながら過ごしています。`;
      return `${leaving}、現在はゆっくりと過ごしています。`;
    }
    case 'employed': {
      const position = work.position ?? '';
      const company = work.company ?? '';
      const role = EXECUTIVE_VERB_TITLES.has(position)
        ? `${position}を務めています`
        : FUNCTION_ROLES.has(position)
          ? `${position}を担当しています`
          : `${position}として働いています`;
      if (retiredAtLeaving) return `${leaving}、現在は${company}で${role}。`;
      return rng.chance(0.5) ? `${leftYear}年に${company}へ転職し、現在は${role}。` : `現在は${company}で${role}。`;
    }
  }
}

function closingSentence(
  rng: Rng,
  status: DemoPersonStatus,
  interests: DemoInterests,
  flags: { comeback: boolean; offers: boolean; sideWork: boolean },
  alreadyMentioned: { hobby: boolean; volunteer: boolean },
): string | null {
  const options: string[] = [];
  const [hobby, secondHobby] = interests.hobby;
  if (hobby && !alreadyMentioned.hobby) {
    options.push(`休日は${hobby}${secondHobby ? `や${secondHobby}` : ''}を楽しんでいます。`);
  }
  const volunteer = interests.volunteer[0];
  if (volunteer && !alreadyMentioned.volunteer) options.push(`${volunteer}の活動にも参加しています。`);
  const business = interests.business[0];
  if (business) {
    options.push(
      status === 'alumni'
        ? `${business}に関心があり、同窓生のみなさんと情報交換できればうれしいです。`
        : `最近は${business}に関心があります。`,
    );
  }
  if (flags.sideWork) options.push('副業のご相談も歓迎です。');
  if (flags.comeback) options.push('機会があれば、またこの会社で働くことにも関心があります。');
  if (flags.offers) options.push('新しい挑戦の機会があれば、お気軽にご連絡ください。');
  if (options.length === 0) return null;
  return rng.pick(options);
}

/** One fictional person; pure in (index, seed). */
export function demoPerson(index: number, seed: number = DEMO_DEFAULT_SEED): DemoPerson {
  assertIndex(index);
  assertSeed(seed);
  const rng = createRng(mix32(hashInteger(seed) ^ hashInteger(index)));

  const status: DemoPersonStatus = rng.chance(EMPLOYEE_SHARE) ? 'employee' : 'alumni';
  const gender: Gender = rng.chance(0.5) ? 'female' : 'male';
  const birthYear = pickBirthYear(rng, status);
  const birthDate = formatBirthDate(rng, birthYear);
  const [familyName, familyNameKana, familyRomaji] = pickFamilyName(rng);
  const [givenName, givenNameKana, givenRomaji] = pickGivenName(rng, gender, birthYear);

  const latestJoin = status === 'employee' ? DEMO_REFERENCE_YEAR : DEMO_REFERENCE_YEAR - 1;
  const wantedEntryAge = rng.chance(0.65)
    ? rng.weighted<number>([
        [22, 70],
        [23, 10],
        [24, 20],
      ])
    : rng.int(25, 45);
  const entryAge = Math.min(wantedEntryAge, latestJoin - birthYear);
  const joinedYear = birthYear + entryAge;
  const route: EntryRoute = entryAge >= 25 ? 'midCareer' : 'newGraduate';

  let leftYear: number | null = null;
  if (status === 'alumni') {
    const retirementYear = birthYear + RETIREMENT_AGE;
    if (retirementYear > joinedYear && retirementYear <= DEMO_REFERENCE_YEAR && rng.chance(0.5)) {
      leftYear = retirementYear;
    } else {
      const maxTenure = Math.min(DEMO_REFERENCE_YEAR, retirementYear) - joinedYear;
      const tenure = 1 + Math.floor(-Math.log(1 - rng.next()) * 6);
      leftYear = joinedYear + Math.min(maxTenure, tenure);
    }
  }

  const career = buildCareer(rng, birthYear, joinedYear, leftYear);
  const lastEntry = career.entries[career.entries.length - 1];
  const lastDepartment = career.departments[career.departments.length - 1];
  const lastLevel = career.levels[career.levels.length - 1];
  const location = pickLocation(rng, status, lastDepartment);
  const overseas = OVERSEAS_LOCATIONS.some(([place]) => place === location);
  const skills = pickSkills(rng, career, lastLevel, overseas);
  const qualifications = pickQualifications(rng, career, birthYear, joinedYear);
  const interests = pickInterests(rng);

  const ageNow = DEMO_REFERENCE_YEAR - birthYear;
  let work: CurrentWork = { company: null, industry: null, position: null, kind: 'stillEmployed' };
  let comeback = false;
  let offers = false;
  let sideWork = false;
  if (leftYear !== null) {
    work = pickCurrentWork(rng, lastDepartment, lastLevel, ageNow, leftYear - birthYear);
    const settled = work.kind === 'founder' || work.kind === 'retired';
    comeback = rng.chance(settled ? 0.05 : 0.22);
    offers = rng.chance(work.kind === 'between' ? 0.85 : settled ? 0.08 : 0.35);
    sideWork = rng.chance(work.kind === 'freelance' ? 0.75 : work.kind === 'retired' ? 0.15 : 0.3);
  }

  const sentences = [careerSentence(rng, status, career, joinedYear, route)];
  if (leftYear !== null) {
    sentences.push(currentWorkSentence(rng, work, leftYear, leftYear - birthYear >= RETIREMENT_AGE, interests));
  }
  if (rng.chance(status === 'alumni' ? 0.65 : 0.7)) {
    const restingNow = work.kind === 'retired';
    const mentionsVolunteer = restingNow && interests.volunteer.length > 0;
    const closing = closingSentence(
      rng,
      status,
      interests,
      { comeback, offers, sideWork },
      { volunteer: mentionsVolunteer, hobby: restingNow && !mentionsVolunteer && interests.hobby.length > 0 },
    );
    if (closing) sentences.push(closing);
  }

  const showBirthDate = rng.chance(0.88);
  const domain = rng.chance(0.6) ? 'example.jp' : 'example.com';
  const email = `${givenRomaji}.${familyRomaji}.${String(index).padStart(4, '0')}@${domain}`.toLowerCase();

  return {
    familyName,
    givenName,
    familyNameKana,
    givenNameKana,
    romajiName: `${givenRomaji} ${familyRomaji}`,
    email,
    status,
    birthDate: showBirthDate ? birthDate : null,
    joinedYear,
    leftYear,
    lastDepartment: lastEntry.department,
    lastPosition: lastEntry.position,
    location,
    careerAtCompany: career.entries,
    currentCompany: work.company,
    currentIndustry: work.industry,
    currentPosition: work.position,
    skills,
    qualifications,
    interests,
    bio: sentences.join(''),
    openToComeback: comeback,
    openToOffers: offers,
    openToSideWork: sideWork,
  };
}

/** People 0..count-1 for the given seed, lazily. */
export function* demoPeople(count: number, seed: number = DEMO_DEFAULT_SEED): Generator<DemoPerson> {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`demoPeople count must be a non-negative safe integer, got ${count}`);
  }
  assertSeed(seed);
  for (let index = 0; index < count; index++) yield demoPerson(index, seed);
}
