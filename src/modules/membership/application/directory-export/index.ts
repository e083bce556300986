import type { Type } from '@nestjs/common';
import { ExportDirectoryHandler } from './export-directory.handler';

export const DIRECTORY_EXPORT_HANDLERS: Type[] = [ExportDirectoryHandler];
