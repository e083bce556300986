import { plainToInstance, Transform } from 'class-transformer';
import { IsArray, IsBoolean, IsDateString, IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, ArrayMaxSize, IsNotEmpty, ValidateNested } from 'class-validator';
import { EmptyToNull, ToBool, ToTags, Trim, YearField } from '@libs/web/form-transforms';
import { PRIVACY_LEVEL_NAMES, type PrivacyLevelView } from '../contracts';
import { NameFields } from './auth.request';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export class BasicInfoRequest extends NameFields {
  @EmptyToNull()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(/^[A-Za-z][A-Za-z .'-]*$/, { message: 'romaji' })
  romajiName?: string | null;

  @EmptyToNull()
  @IsOptional()
  @IsDateString({ strict: true })
  birthDate?: string | null;

  @EmptyToNull()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  lastDepartment?: string | null;

  @EmptyToNull()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  lastPosition?: string | null;

  @YearField({ emptyAs: null })
  joinedYear?: number | null;

  @YearField({ emptyAs: null })
  leftYear?: number | null;

  @EmptyToNull()
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  contactEmail?: string | null;

  @EmptyToNull()
  @IsOptional()
  @IsString()
  @MaxLength(30)
  @Matches(/^[0-9０-９+()（）\-‐－ー\s]+$/, { message: 'phone' })
  contactPhone?: string | null;

  @EmptyToNull()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  location?: string | null;
}

export class CareerEntryRequest {
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  department: string;

  @IsString()
  @MaxLength(100)
  position = '';

  @Matches(MONTH, { message: 'month' })
  from: string;

  @EmptyToNull()
  @IsOptional()
  @Matches(MONTH, { message: 'month' })
  to: string | null = null;
}

const blankRow = (row: unknown) => !row || typeof row !== 'object' || Object.values(row).every((v) => v === undefined || v === null || String(v).trim() === '');

export class CareerRequest {
  @Transform(({ value }) => (Array.isArray(value) ? value.filter((r) => !blankRow(r)).map((r) => plainToInstance(CareerEntryRequest, r)) : []))
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  career: CareerEntryRequest[] = [];

  @EmptyToNull()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  currentCompany?: string | null;

  @EmptyToNull()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  currentIndustry?: string | null;

  @EmptyToNull()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  currentPosition?: string | null;
}

export class QualificationRequest {
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @YearField()
  year?: number;
}

const TAGS = () => [ToTags(), IsArray(), ArrayMaxSize(30), IsString({ each: true }), MaxLength(40, { each: true })];
const applyAll = (decorators: PropertyDecorator[]): PropertyDecorator => (target, key) => decorators.forEach((d) => d(target, key));

export class SkillsRequest {
  @applyAll(TAGS())
  skills: string[] = [];

  @Transform(({ value }) => (Array.isArray(value) ? value.filter((r) => !blankRow(r)).map((r) => plainToInstance(QualificationRequest, r)) : []))
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  qualifications: QualificationRequest[] = [];

  @applyAll(TAGS())
  interestsBusiness: string[] = [];

  @applyAll(TAGS())
  interestsHobby: string[] = [];

  @applyAll(TAGS())
  interestsVolunteer: string[] = [];

  @EmptyToNull()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  bio?: string | null;

  @ToBool()
  @IsBoolean()
  openToComeback = false;

  @ToBool()
  @IsBoolean()
  openToOffers = false;

  @ToBool()
  @IsBoolean()
  openToSideWork = false;
}

export class PrivacyRequest {
  @IsIn(PRIVACY_LEVEL_NAMES)
  contact: PrivacyLevelView;

  @IsIn(PRIVACY_LEVEL_NAMES)
  birthDate: PrivacyLevelView;

  @IsIn(PRIVACY_LEVEL_NAMES)
  career: PrivacyLevelView;

  @IsIn(PRIVACY_LEVEL_NAMES)
  currentEmployer: PrivacyLevelView;
}
