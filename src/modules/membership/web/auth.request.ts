import { Allow, IsEmail, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { EmptyToUndefined, ToInt } from '@libs/web/form-transforms';

const KANA = /^[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fb\s\u3000]+$/;

export class LoginRequest {
  @IsEmail()
  @MaxLength(254)
  email: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  password: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  next?: string;
}

export class NameFields {
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  familyName: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  givenName: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  @Matches(KANA, { message: 'kana' })
  familyNameKana: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  @Matches(KANA, { message: 'kana' })
  givenNameKana: string;
}

export class ApplyRequest extends NameFields {
  @IsEmail()
  @MaxLength(254)
  email: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  password: string;

  @IsIn(['employee', 'alumni'])
  appliedAs: 'employee' | 'alumni';

  @EmptyToUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  lastDepartment?: string;

  @ToInt()
  @IsOptional()
  @IsInt()
  @Min(1950)
  @Max(2100)
  joinedYear?: number;

  @ToInt()
  @IsOptional()
  @IsInt()
  @Min(1950)
  @Max(2100)
  leftYear?: number;

  @EmptyToUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;

  /** Honeypot: people leave it empty. */
  @Allow()
  website?: string;
}

export class RequestResetRequest {
  @IsEmail()
  @MaxLength(254)
  email: string;
}

export class NewPasswordRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  password: string;
}

export class AcceptInvitationRequest extends NameFields {
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  password: string;
}
