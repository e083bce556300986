import { demoPeople, demoPerson, type DemoPerson } from './demo-people';

const SAMPLE_SIZE = 10_000;
const KANA = /^[ァ-ヶー]+$/;
const ROMAJI = /^[A-Z][a-z]+ [A-Z][a-z]+$/;

function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, out);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) stringsIn(item, out);
  return out;
}

describe('demoPerson', () => {
  const people: DemoPerson[] = [...demoPeople(SAMPLE_SIZE)];

  it('is deterministic for the same index and seed', () => {
    expect(demoPerson(42)).toEqual(demoPerson(42));
    expect(demoPerson(42, 7)).toEqual(demoPerson(42, 7));
    expect(demoPerson(123_456_789)).toEqual(demoPerson(123_456_789));
    expect(people[4321]).toEqual(demoPerson(4321));
  });

  it('varies with the seed', () => {
    const differing = Array.from({ length: 50 }, (_, i) => i).filter(
      (i) => demoPerson(i, 1).email !== demoPerson(i, 2).email,
    );
    expect(differing.length).toBeGreaterThan(40);
  });

  it('yields the same people from demoPeople as from demoPerson', () => {
    const fromGenerator = [...demoPeople(20, 99)];
    expect(fromGenerator).toHaveLength(20);
    fromGenerator.forEach((person, index) => expect(person).toEqual(demoPerson(index, 99)));
    expect([...demoPeople(0)]).toEqual([]);
  });

  it('gives every index its own ascii e-mail on an example domain', () => {
    const emails = new Set(people.map((p) => p.email));
    expect(emails.size).toBe(SAMPLE_SIZE);
    const malformed = people.filter((p) => !/^[a-z]+\.[a-z]+\.\d{4,}@example\.(jp|com)$/.test(p.email));
    expect(malformed).toEqual([]);
  });

  it('writes name readings in katakana and romaji in Hepburn, given name first', () => {
    const wrong = people.filter(
      (p) =>
        !KANA.test(p.familyNameKana) ||
        !KANA.test(p.givenNameKana) ||
        !ROMAJI.test(p.romajiName) ||
        !p.email.startsWith(`${p.romajiName.toLowerCase().replace(' ', '.')}.`),
    );
    expect(wrong).toEqual([]);
  });

  it('keeps employees without a leaving year, a current employer or alumni-only flags', () => {
    const employees = people.filter((p) => p.status === 'employee');
    expect(employees.length).toBeGreaterThan(0);
    const wrong = employees.filter(
      (p) =>
        p.leftYear !== null ||
        p.currentCompany !== null ||
        p.currentIndustry !== null ||
        p.currentPosition !== null ||
        p.openToComeback ||
        p.openToOffers ||
        p.openToSideWork,
    );
    expect(wrong).toEqual([]);
  });

  it('has alumni leave after joining and no later than 2026', () => {
    const wrong = people.filter(
      (p) => p.status === 'alumni' && (p.leftYear === null || p.leftYear <= p.joinedYear || p.leftYear > 2026),
    );
    expect(wrong).toEqual([]);
  });

  it('lists career entries chronologically within the joined and left years', () => {
    const wrong = people.filter((p) => {
      const career = p.careerAtCompany;
      const end = p.leftYear ?? 2026;
      const last = career[career.length - 1];
      if (career.length < 1 || career.length > 3 || career[0].fromYear !== p.joinedYear) return true;
      if (last.toYear !== p.leftYear || last.department !== p.lastDepartment || last.position !== p.lastPosition) {
        return true;
      }
      return career.some((entry, i) => {
        if (entry.fromYear < p.joinedYear || entry.fromYear > end) return true;
        const next = career[i + 1];
        if (next === undefined) return false;
        return entry.toYear === null || entry.toYear <= entry.fromYear || next.fromYear !== entry.toYear;
      });
    });
    expect(wrong).toEqual([]);
  });

  it('makes roughly a third of the people current employees', () => {
    const share = people.filter((p) => p.status === 'employee').length / SAMPLE_SIZE;
    expect(share).toBeGreaterThanOrEqual(0.25);
    expect(share).toBeLessThanOrEqual(0.45);
  });

  it('keeps birth dates valid and ages between 23 and 65, with some left blank', () => {
    const dated = people.flatMap((p) => (p.birthDate === null ? [] : [p.birthDate]));
    expect(dated.length).toBeGreaterThan(SAMPLE_SIZE / 2);
    expect(dated.length).toBeLessThan(SAMPLE_SIZE);
    const wrong = dated.filter((date) => {
      const age = 2026 - Number(date.slice(0, 4));
      const valid = /^\d{4}-\d{2}-\d{2}$/.test(date) && new Date(`${date}T00:00:00Z`).toISOString().startsWith(date);
      return !valid || age < 24 || age > 65;
    });
    expect(wrong).toEqual([]);
  });

  it('keeps tags, qualifications and bio within their bounds', () => {
    const wrong = people.filter((p) => {
      const sentences = p.bio.split('。').length - 1;
      return (
        p.skills.length < 2 ||
        p.skills.length > 6 ||
        new Set(p.skills).size !== p.skills.length ||
        p.qualifications.length > 2 ||
        p.qualifications.some((q) => q.year > 2026) ||
        p.interests.business.length > 3 ||
        p.interests.hobby.length > 3 ||
        p.interests.volunteer.length > 3 ||
        sentences < 1 ||
        sentences > 3 ||
        !p.bio.endsWith('。')
      );
    });
    expect(wrong).toEqual([]);
  });

  it('produces clean NFKC text with no empty or placeholder values', () => {
    const unclean = people
      .flatMap((p) => stringsIn(p))
      .filter((text) => text !== text.normalize('NFKC') || text.trim() !== text || text.length === 0)
      .concat(people.map((p) => p.bio).filter((bio) => /undefined|null|NaN/.test(bio)));
    expect(unclean).toEqual([]);
  });

  it('rejects indexes that are negative or not integers', () => {
    expect(() => demoPerson(-1)).toThrow(RangeError);
    expect(() => demoPerson(1.5)).toThrow(RangeError);
    expect(() => [...demoPeople(-1)]).toThrow(RangeError);
  });
});
