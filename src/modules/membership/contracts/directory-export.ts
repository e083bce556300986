// The admins' CSV export of the directory.
import { Query } from '@nestjs/cqrs';
import type { MemberRole, MemberStatus, Viewer } from '@libs/security/access-policy';

/** The same filters as the admins' member list (ListMembersQuery). */
export interface DirectoryExportFilter {
  q?: string;
  status?: MemberStatus;
  role?: MemberRole;
  /** 'missing': members without a personal (contact) e-mail address. */
  contact?: 'missing';
}

/** One member as the export writes them (everything an admin may see of these fields). */
export interface DirectoryExportRow {
  memberId: string;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  romajiName: string | null;
  email: string;
  status: MemberStatus;
  role: MemberRole;
  lastDepartment: string | null;
  lastPosition: string | null;
  joinedYear: number | null;
  leftYear: number | null;
  location: string | null;
  currentCompany: string | null;
  skills: string[];
  joinedAt: Date;
}

export interface DirectoryExportBatch {
  rows: DirectoryExportRow[];
  /** Where the next batch starts (an opaque cursor), or null after the last one. */
  next: string | null;
}

/** Account and profile fields of the export that the audit log lists as restricted personal data. */
export const DIRECTORY_EXPORT_RESTRICTED_FIELDS = ['accountEmail', 'currentEmployer'] as const;

/**
 * One batch of the directory export (admins only), in kana order, continuing after `after`. A caller streams the
 * whole directory by asking for batches until `next` is null; each batch is one index range scan, so memory stays
 * flat however many members there are.
 */
export class ExportDirectoryQuery extends Query<DirectoryExportBatch> {
  constructor(
    readonly actor: Viewer,
    readonly filter: DirectoryExportFilter = {},
    readonly after: string | null = null,
    readonly batchSize = 1000,
  ) {
    super();
  }
}
