import { parseRoster } from '../roster/roster-csv';
import { planRoster, type RosterSnapshot } from '../roster/roster-plan';
import { RosterEntry } from './roster-entry.entity';
import { ROSTER_CHANGES_PER_KIND, RosterImport } from './roster-import.entity';
import { RosterImportHasIssuesError, RosterImportNotConfirmableError, RosterImportNotDiscardableError } from './roster-import.errors';

const EMPTY: RosterSnapshot = { entries: new Map(), entryNumbersByEmail: new Map(), membersByEmail: new Map(), membersById: new Map(), entryNumbersByMemberId: new Map() };
const csv = (lines: string[]) => Buffer.from(lines.join('\n') + '\n', 'utf8');

function previewOf(lines: string[]): RosterImport {
  const parsed = parseRoster(csv(lines));
  const upload = RosterImport.upload({ uploadedBy: 'admin-1', fileName: 'roster.csv', fileSize: 100, parsed });
  upload.recordPlan(planRoster(parsed.rows, EMPTY));
  return upload;
}

describe('RosterImport', () => {
  it('keeps the valid rows, the problems and the plan of an upload', () => {
    const upload = previewOf(['社員番号,姓,名,メールアドレス,退職日', 'E1,山田,太郎,taro@example.jp,', 'E2,田中,花子,hanako@example.jp,2020/3/31', 'E3,,健,ken@example.jp,']);
    expect(upload.state).toBe('previewed');
    expect(upload.encoding).toBe('utf-8');
    expect(upload.totalRows).toBe(2);
    expect(upload.issues).toEqual([{ line: 4, column: 'familyName', code: 'membership.roster.errors.required' }]);
    expect(upload.planned).toEqual({ invite: 1, leave: 0, update: 0, unchanged: 0, skipped: 1 });
    expect(upload.changes).toEqual([
      { line: 2, employeeNumber: 'E1', name: '山田 太郎', email: 'taro@example.jp', kind: 'invite' },
      { line: 3, employeeNumber: 'E2', name: '田中 花子', email: 'hanako@example.jp', kind: 'skipped' },
    ]);
    expect(upload.canConfirm).toBe(false);
    expect(() => upload.confirm('admin-1')).toThrow(RosterImportHasIssuesError);
    expect(upload.state).toBe('previewed');
  });

  it('keeps the old and new values of the fields a planned change makes', () => {
    const parsed = parseRoster(csv(['社員番号,姓,名,メールアドレス,部署,退職日', 'E1,山田,太郎,taro@example.jp,営業本部,2025/3/31']));
    const entry = { employeeNumber: 'E1', memberId: 'm1', invitationId: null, email: 'taro@example.jp', familyName: '山田', givenName: '太郎', familyNameKana: null, givenNameKana: null, department: '営業部', position: null, hiredOn: null, leftOn: null };
    const snapshot: RosterSnapshot = { ...EMPTY, entries: new Map([['E1', entry]]), membersById: new Map([['m1', { id: 'm1', status: 'employee' }]]) };
    const upload = RosterImport.upload({ uploadedBy: 'admin-1', fileName: 'roster.csv', fileSize: 100, parsed });
    upload.recordPlan(planRoster(parsed.rows, snapshot));
    expect(upload.changes).toEqual([
      {
        line: 2,
        employeeNumber: 'E1',
        name: '山田 太郎',
        email: 'taro@example.jp',
        kind: 'leave',
        fields: ['department', 'leftOn'],
        diffs: [
          { field: 'department', from: '営業部', to: '営業本部' },
          { field: 'leftOn', from: null, to: '2025-03-31' },
        ],
      },
    ]);
  });

  it(`keeps at most ${ROSTER_CHANGES_PER_KIND} planned changes of each kind, and counts them all`, () => {
    const rows = Array.from({ length: ROSTER_CHANGES_PER_KIND + 50 }, (_, i) => `E${i},山田,太郎,t${i}@example.jp,`);
    const left = Array.from({ length: 3 }, (_, i) => `L${i},佐藤,健,l${i}@example.jp,2020-03-31`);
    const upload = previewOf(['employee_number,family_name,given_name,email,left_on', ...rows, ...left]);
    expect(upload.planned.invite).toBe(ROSTER_CHANGES_PER_KIND + 50);
    expect(upload.changes.filter((c) => c.kind === 'invite')).toHaveLength(ROSTER_CHANGES_PER_KIND);
    expect(upload.changes.filter((c) => c.kind === 'skipped').map((c) => c.employeeNumber)).toEqual(['L0', 'L1', 'L2']);
  });

  it('is confirmed once, then can be neither confirmed again nor discarded', () => {
    const upload = previewOf(['employee_number,family_name,given_name,email', 'E1,山田,太郎,taro@example.jp']);
    expect(upload.canConfirm).toBe(true);
    const at = new Date('2026-01-05T00:00:00Z');
    upload.confirm('admin-2', at);
    expect(upload).toMatchObject({ state: 'queued', confirmedBy: 'admin-2', confirmedAt: at, inProgress: true, canConfirm: false, canDiscard: false });
    expect(() => upload.confirm('admin-2')).toThrow(RosterImportNotConfirmableError);
    expect(() => upload.discard()).toThrow(RosterImportNotDiscardableError);
  });

  it('forgets the rows when discarded', () => {
    const upload = previewOf(['employee_number,family_name,given_name,email', 'E1,山田,太郎,taro@example.jp']);
    upload.discard();
    expect(upload.state).toBe('discarded');
    expect(upload.rows).toEqual([]);
    expect(() => upload.confirm('admin-1')).toThrow(RosterImportNotConfirmableError);
  });
});

describe('RosterEntry', () => {
  const [row] = parseRoster(csv(['社員番号,姓,名,セイ,メイ,メールアドレス,部署,役職,入社日,退職日', 'E1,山田,太郎,やまだ,たろう,taro@example.jp,営業部,課長,2012/4/1,'])).rows;

  it('takes what HR says and gives it to a new member profile', () => {
    const entry = RosterEntry.fromRow(row, 'import-1');
    expect(entry.toRecorded()).toEqual({
      employeeNumber: 'E1',
      memberId: null,
      invitationId: null,
      email: 'taro@example.jp',
      familyName: '山田',
      givenName: '太郎',
      familyNameKana: 'やまだ',
      givenNameKana: 'たろう',
      department: '営業部',
      position: '課長',
      hiredOn: '2012-04-01',
      leftOn: null,
    });
    expect(entry.names).toEqual({ familyName: '山田', givenName: '太郎', familyNameKana: 'ヤマダ', givenNameKana: 'タロウ' });
    expect(RosterEntry.fromRow({ ...row, familyNameKana: 'ﾔﾏﾀﾞ' }, 'import-1').names.familyNameKana).toBe('ヤマダ');
    expect(entry.profileBasics()).toEqual({ lastDepartment: '営業部', lastPosition: '課長', joinedYear: 2012, leftYear: null });
    expect(entry.careerAtCompany()).toEqual([{ department: '営業部', position: '課長', from: '2012-04', to: null }]);
  });

  it('follows a later row and records links', () => {
    const entry = RosterEntry.fromRow(row, 'import-1');
    entry.takeRow({ ...row, department: null, leftOn: '2025-03-31' }, 'import-2');
    entry.linkMember('member-1');
    entry.recordInvitation('invitation-1');
    expect(entry).toMatchObject({ department: null, leftOn: '2025-03-31', lastImportId: 'import-2', memberId: 'member-1', invitationId: 'invitation-1' });
    expect(entry.profileBasics().leftYear).toBe(2025);
    // Without a department there is no career entry to create.
    expect(entry.careerAtCompany()).toEqual([]);
  });
});
