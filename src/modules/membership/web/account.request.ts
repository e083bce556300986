import { IsEmail, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Trim } from '@libs/web/form-transforms';

export class ChangePasswordRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  currentPassword: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  newPassword: string;
}

export class ChangeEmailRequest {
  @Trim()
  @IsEmail()
  @MaxLength(254)
  newEmail: string;

  /** The current password, asked again (named apart from the password form's field on the same page). */
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  password: string;
}

/** The time zone select (any IANA zone the runtime knows; checked by the command). */
export class ChangeTimeZoneRequest {
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  timeZone: string;
}
