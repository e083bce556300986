import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { EmptyToUndefined, ToInt } from '@libs/web/form-transforms';
import { DIRECTORY_SORTS, OPEN_TO_FLAGS, type DirectorySort, type OpenToFlag } from '../contracts';

/** The directory's search form (GET /members). */
export class DirectoryRequest {
  @EmptyToUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @EmptyToUndefined()
  @IsOptional()
  @IsIn(['employee', 'alumni'])
  status?: 'employee' | 'alumni';

  @EmptyToUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  department?: string;

  @ToInt()
  @IsOptional()
  @IsInt()
  @Min(1950)
  @Max(2100)
  leftYear?: number;

  @EmptyToUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(40)
  skill?: string;

  @EmptyToUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(40)
  interest?: string;

  @EmptyToUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(50)
  location?: string;

  @Transform(({ value }) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))
  @IsArray()
  @ArrayMaxSize(3)
  @IsIn(OPEN_TO_FLAGS, { each: true })
  openTo: OpenToFlag[] = [];

  @EmptyToUndefined()
  @IsOptional()
  @IsIn(DIRECTORY_SORTS)
  sort?: DirectorySort;

  @ToInt()
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  page?: number;
}
