import { MemberFilterQuery } from './admin.request';

/** The CSV export takes the member list's filters (GET /admin/members/export.csv?q=…&status=…&role=…), not its page. */
export class MemberExportRequest extends MemberFilterQuery {}
