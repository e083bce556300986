import { Allow, IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { OptionalText, Trim, YearField } from '@libs/web/form-transforms';

const KANA = /^[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fb\s\u3000]+$/;

export class LoginRequest {
  @Trim()
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
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  familyName: string;

  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  givenName: string;

  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  @Matches(KANA, { message: 'kana' })
  familyNameKana: string;

  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  @Matches(KANA, { message: 'kana' })
  givenNameKana: string;
}

export class ApplyRequest extends NameFields {
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  password: string;

  @IsIn(['employee', 'alumni'])
  appliedAs: 'employee' | 'alumni';

  @OptionalText(100)
  lastDepartment?: string;

  @YearField()
  joinedYear?: number;

  @YearField()
  leftYear?: number;

  @OptionalText(1000)
  note?: string;

  /** Honeypot: people leave it empty. */
  @Allow()
  website?: string;
}

export class RequestResetRequest {
  @Trim()
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
