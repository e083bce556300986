import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export class ChangeLocaleRequest {
  @IsIn(['ja', 'en'])
  locale: 'ja' | 'en';

  @IsOptional()
  @IsString()
  @MaxLength(500)
  next?: string;
}
