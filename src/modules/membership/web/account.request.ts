import { IsEmail, IsNotEmpty, IsString, MaxLength } from 'class-validator';

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
  @IsEmail()
  @MaxLength(254)
  newEmail: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  currentPassword: string;
}
