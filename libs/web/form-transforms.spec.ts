import { plainToInstance } from 'class-transformer';
import { EmptyToNull, EmptyToUndefined, ToBool, ToInt, ToTags } from './form-transforms';

class FormDto {
  @ToTags()
  skills: string[] = [];

  @ToInt()
  year?: number | string;

  @ToBool()
  openToOffers = false;

  @EmptyToNull()
  company?: string | null;

  @EmptyToUndefined()
  note?: string;
}

const parse = (body: Record<string, unknown>) => plainToInstance(FormDto, body);

describe('ToTags', () => {
  it.each([
    ['TypeScript、SQL、営業', ['TypeScript', 'SQL', '営業']],
    ['TypeScript,SQL, 営業', ['TypeScript', 'SQL', '営業']],
    ['TypeScript，SQL，営業', ['TypeScript', 'SQL', '営業']],
    ['TypeScript/SQL／営業', ['TypeScript', 'SQL', '営業']],
    ['TypeScript\nSQL\r\n営業', ['TypeScript', 'SQL', '営業']],
    ['TypeScript 、, SQL ,,\n\n 営業 ', ['TypeScript', 'SQL', '営業']],
  ])('splits "%s" into separate tags', (typed, tags) => {
    expect(parse({ skills: typed }).skills).toEqual(tags);
  });

  it('keeps each tag as typed and removes exact duplicates, keeping the first order', () => {
    expect(parse({ skills: 'ＳＱＬ、英語、SQL、 英語 、Ｅｘｃｅｌ／①検定' }).skills).toEqual(['ＳＱＬ', '英語', 'SQL', 'Ｅｘｃｅｌ', '①検定']);
  });

  it('keeps tags with inner spaces whole', () => {
    expect(parse({ skills: 'project management、Google Cloud' }).skills).toEqual(['project management', 'Google Cloud']);
  });

  it('turns an empty or blank field into no tags', () => {
    expect(parse({ skills: '' }).skills).toEqual([]);
    expect(parse({ skills: ' 、 , \n' }).skills).toEqual([]);
    expect(parse({ skills: 42 }).skills).toEqual([]);
    expect(parse({}).skills).toEqual([]);
  });

  it('passes a list through as sent', () => {
    expect(parse({ skills: ['a', 'b'] }).skills).toEqual(['a', 'b']);
  });
});

describe('ToInt', () => {
  it.each([
    ['2024', 2024],
    [' 2024 ', 2024],
    ['-5', -5],
    ['0', 0],
  ])('reads "%s" as the number %p', (typed, number) => {
    expect(parse({ year: typed }).year).toBe(number);
  });

  it('treats an empty field as not given', () => {
    expect(parse({ year: '' }).year).toBeUndefined();
    expect(parse({ year: null }).year).toBeUndefined();
  });

  it.each(['12abc', '1.5', 'abc', '２０２４'])('leaves "%s" as typed so that validation can name it', (typed) => {
    expect(parse({ year: typed }).year).toBe(typed);
  });

  it('keeps numbers that already are numbers', () => {
    expect(parse({ year: 1999 }).year).toBe(1999);
  });
});

describe('ToBool', () => {
  it.each(['on', 'true', '1', true])('reads a ticked checkbox sent as %p as true', (sent) => {
    expect(parse({ openToOffers: sent }).openToOffers).toBe(true);
  });

  it('reads a hidden field followed by a ticked checkbox as true', () => {
    expect(parse({ openToOffers: ['', 'on'] }).openToOffers).toBe(true);
  });

  it.each(['off', 'false', '0', '', 'yes please', false, ['']])('reads %p as false', (sent) => {
    expect(parse({ openToOffers: sent }).openToOffers).toBe(false);
  });

  it('keeps the default when the checkbox is missing', () => {
    expect(parse({}).openToOffers).toBe(false);
  });
});

describe('EmptyToNull and EmptyToUndefined', () => {
  it('clears a blank field to null and trims other text', () => {
    expect(parse({ company: '   ' }).company).toBeNull();
    expect(parse({ company: '' }).company).toBeNull();
    expect(parse({ company: ' 株式会社きずな ' }).company).toBe('株式会社きずな');
    expect(parse({ company: 5 }).company).toBe(5);
  });

  it('leaves a blank optional field out and trims other text', () => {
    expect(parse({ note: ' \n ' }).note).toBeUndefined();
    expect(parse({ note: ' メモ ' }).note).toBe('メモ');
  });
});
