import { Type } from 'class-transformer';
import { IsArray, IsEmail, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { RequestValidationError, createValidationPipe } from './request-validation';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

class CareerRow {
  @IsString()
  @MaxLength(20)
  department: string;

  @Matches(MONTH, { message: 'month' })
  from: string;
}

class ProfileDto {
  @IsEmail()
  email: string;

  @IsString()
  @MaxLength(10)
  nickname: string;

  @Matches(/^[ァ-ヶーぁ-ゖ]+$/, { message: 'kana' })
  kana: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1950)
  @Max(2100)
  joinedYear?: number;

  @IsOptional()
  @IsString()
  @Length(2, 8)
  code?: string;

  @IsOptional()
  @Matches(/^[a-z]+$/, { message: 'must be lower-case letters only' })
  slug?: string;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => CareerRow)
  career?: CareerRow[];
}

const valid = { email: 'hanako@example.jp', nickname: 'はなこ', kana: 'ハナコ' };

async function run(value: Record<string, unknown>): Promise<unknown> {
  return createValidationPipe().transform(value, { type: 'body', metatype: ProfileDto });
}

async function fieldsOf(value: Record<string, unknown>): Promise<RequestValidationError['fields']> {
  try {
    await run(value);
  } catch (error) {
    expect(error).toBeInstanceOf(RequestValidationError);
    return (error as RequestValidationError).fields;
  }
  throw new Error('expected the input to be rejected');
}

async function generalOf(value: Record<string, unknown>): Promise<RequestValidationError['general']> {
  try {
    await run(value);
  } catch (error) {
    expect(error).toBeInstanceOf(RequestValidationError);
    return (error as RequestValidationError).general;
  }
  throw new Error('expected the input to be rejected');
}

describe('createValidationPipe', () => {
  it('turns valid input into an instance of the request class', async () => {
    const result = await run({ ...valid, joinedYear: '2010', career: [{ department: '営業部', from: '2010-04' }] });
    expect(result).toBeInstanceOf(ProfileDto);
    expect(result).toMatchObject({ joinedYear: 2010 });
    expect((result as ProfileDto).career?.[0]).toBeInstanceOf(CareerRow);
  });

  it('names a malformed e-mail address with the isEmail message key', async () => {
    const fields = await fieldsOf({ ...valid, email: 'not-an-address' });
    expect(Object.keys(fields)).toEqual(['email']);
    expect(fields.email).toHaveLength(1);
    expect(fields.email[0].key).toBe('validation.isEmail');
  });

  it('gives a too-long value the maxLength key with its limit', async () => {
    const fields = await fieldsOf({ ...valid, nickname: 'あいうえおかきくけこさ' });
    expect(fields.nickname).toEqual([{ key: 'validation.maxLength', params: expect.objectContaining({ max: 10 }) }]);
  });

  it('gives number bounds their min and max', async () => {
    expect((await fieldsOf({ ...valid, joinedYear: '1900' })).joinedYear).toEqual([
      { key: 'validation.min', params: expect.objectContaining({ min: 1950 }) },
    ]);
    expect((await fieldsOf({ ...valid, joinedYear: '2200' })).joinedYear).toEqual([
      { key: 'validation.max', params: expect.objectContaining({ max: 2100 }) },
    ]);
  });

  it('gives a length range both ends', async () => {
    const fields = await fieldsOf({ ...valid, code: 'x' });
    expect(fields.code).toEqual([{ key: 'validation.isLength', params: expect.objectContaining({ min: 2, max: 8 }) }]);
  });

  it('uses a one-word custom message as the message key', async () => {
    const fields = await fieldsOf({ ...valid, kana: 'Hanako' });
    expect(fields.kana.map((m) => m.key)).toEqual(['validation.kana']);
  });

  it('keeps the constraint key when the custom message is a sentence', async () => {
    const fields = await fieldsOf({ ...valid, slug: 'Not Valid' });
    expect(fields.slug.map((m) => m.key)).toEqual(['validation.matches']);
  });

  it('names nested rows by their position', async () => {
    const fields = await fieldsOf({
      ...valid,
      career: [
        { department: '営業部', from: '2010-04' },
        { department: 'とても長い部署名がここに入ります、とても長い', from: '2012-13' },
      ],
    });
    expect(Object.keys(fields).sort()).toEqual(['career.1.department', 'career.1.from']);
    expect(fields['career.1.from']).toEqual([{ key: 'validation.month', params: expect.any(Object) }]);
    expect(fields['career.1.department']).toEqual([{ key: 'validation.maxLength', params: expect.objectContaining({ max: 20 }) }]);
  });

  it('reports fields that the request class does not know as a message for the whole form', async () => {
    expect(await fieldsOf({ ...valid, isAdmin: 'true' })).toEqual({});
    expect(await generalOf({ ...valid, isAdmin: 'true' })).toEqual([{ key: 'validation.unknownField', params: { field: 'isAdmin' } }]);
  });

  it('reports unknown fields inside nested rows, naming the row', async () => {
    const general = await generalOf({ ...valid, career: [{ department: '営業部', from: '2010-04', salary: '1000' }] });
    expect(general).toEqual([{ key: 'validation.unknownField', params: { field: 'career.0.salary' } }]);
  });

  it('shows the most basic problem first when several rules fail', async () => {
    const fields = await fieldsOf({ ...valid, joinedYear: 'abc' });
    expect(fields.joinedYear?.map((m) => m.key)).toEqual(['validation.isInt']);
  });

  it('reports one message per field and every invalid field at once', async () => {
    const fields = await fieldsOf({ email: 'x', nickname: 123, kana: 'abc' });
    expect(Object.keys(fields).sort()).toEqual(['email', 'kana', 'nickname']);
    for (const messages of Object.values(fields)) expect(messages).toHaveLength(1);
  });

  it('reports missing required fields', async () => {
    const fields = await fieldsOf({});
    expect(Object.keys(fields).sort()).toEqual(['email', 'kana', 'nickname']);
  });
});
