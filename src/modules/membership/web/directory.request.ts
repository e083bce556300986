import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional } from 'class-validator';
import { EmptyToUndefined, OptionalText, PageNumber, YearField } from '@libs/web/form-transforms';
import { DIRECTORY_SORTS, OPEN_TO_FLAGS, type DirectorySort, type OpenToFlag } from '../contracts';

/** The directory's search form (GET /members). */
export class DirectoryRequest {
  @OptionalText(100)
  q?: string;

  @EmptyToUndefined()
  @IsOptional()
  @IsIn(['employee', 'alumni'])
  status?: 'employee' | 'alumni';

  @OptionalText(100)
  department?: string;

  @YearField()
  leftYear?: number;

  @OptionalText(40)
  skill?: string;

  @OptionalText(40)
  interest?: string;

  @OptionalText(50)
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

  @PageNumber(500)
  page?: number;
}
