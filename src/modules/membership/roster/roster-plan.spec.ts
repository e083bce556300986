import type { RosterRow } from './roster-csv';
import { planRoster, type KnownMember, type RecordedEntry, type RosterSnapshot } from './roster-plan';

let line = 1;
const row = (employeeNumber: string, over: Partial<RosterRow> = {}): RosterRow => ({
  line: ++line,
  employeeNumber,
  familyName: '山田',
  givenName: '太郎',
  familyNameKana: 'ヤマダ',
  givenNameKana: 'タロウ',
  email: `${employeeNumber.toLowerCase()}@example.co.jp`,
  department: '営業部',
  position: null,
  hiredOn: '2015-04-01',
  leftOn: null,
  ...over,
});

/** What an earlier import recorded for the row (same data unless overridden). */
const recorded = (r: RosterRow, over: Partial<RecordedEntry> = {}): RecordedEntry => ({
  employeeNumber: r.employeeNumber,
  memberId: null,
  invitationId: 'inv-' + r.employeeNumber,
  email: r.email,
  familyName: r.familyName,
  givenName: r.givenName,
  familyNameKana: r.familyNameKana,
  givenNameKana: r.givenNameKana,
  department: r.department,
  position: r.position,
  hiredOn: r.hiredOn,
  leftOn: r.leftOn,
  ...over,
});

function snapshot(input: { entries?: RecordedEntry[]; members?: (KnownMember & { email: string })[] } = {}): RosterSnapshot {
  const entries = input.entries ?? [];
  const members = input.members ?? [];
  return {
    entries: new Map(entries.map((e) => [e.employeeNumber, e])),
    entryNumbersByEmail: new Map(entries.map((e) => [e.email, e.employeeNumber])),
    membersByEmail: new Map(members.map((m) => [m.email, { id: m.id, status: m.status }])),
    membersById: new Map(members.map((m) => [m.id, { id: m.id, status: m.status }])),
    entryNumbersByMemberId: new Map(entries.filter((e) => e.memberId).map((e) => [e.memberId as string, e.employeeNumber])),
  };
}

const brief = (plan: ReturnType<typeof planRoster>) =>
  plan.decisions.map((d) => `${d.row.employeeNumber}:${d.kind}${d.invite ? ':invite' : ''}${d.linkMemberId ? `:link=${d.linkMemberId}` : ''}${d.leaverMemberId ? `:leaves=${d.leaverMemberId}` : ''}${d.changedFields.length ? `:${d.changedFields.join('+')}` : ''}`);

describe('planRoster', () => {
  describe('a new employee number', () => {
    it('invites someone still employed who is not a member', () => {
      const plan = planRoster([row('E1')], snapshot());
      expect(brief(plan)).toEqual(['E1:invite:invite']);
      expect(plan.decisions[0].isNew).toBe(true);
      expect(plan.counts).toEqual({ invite: 1, leave: 0, update: 0, unchanged: 0, skipped: 0 });
    });

    it('records without inviting someone who has already left and is not a member', () => {
      expect(brief(planRoster([row('E1', { leftOn: '2020-03-31' })], snapshot()))).toEqual(['E1:skipped']);
    });

    it('links a member who already has the address, and does not invite them', () => {
      const r = row('E1');
      const plan = planRoster([r], snapshot({ members: [{ id: 'm1', status: 'alumni', email: r.email }] }));
      expect(brief(plan)).toEqual(['E1:update:link=m1']);
    });

    it('moves a linked employee to alumni when HR says they left', () => {
      const r = row('E1', { leftOn: '2024-03-31' });
      const employee = planRoster([r], snapshot({ members: [{ id: 'm1', status: 'employee', email: r.email }] }));
      expect(brief(employee)).toEqual(['E1:leave:link=m1:leaves=m1']);
      expect(employee.counts.leave).toBe(1);
      // An alumnus (or anyone who is not an employee) is only linked.
      for (const status of ['alumni', 'pending', 'suspended'] as const) {
        expect(brief(planRoster([r], snapshot({ members: [{ id: 'm1', status, email: r.email }] })))).toEqual(['E1:update:link=m1']);
      }
    });
  });

  describe('a known employee number', () => {
    it('changes nothing when the row is what was recorded', () => {
      const r = row('E1');
      const plan = planRoster([r], snapshot({ entries: [recorded(r)] }));
      expect(brief(plan)).toEqual(['E1:unchanged']);
      expect(plan.counts).toEqual({ invite: 0, leave: 0, update: 0, unchanged: 1, skipped: 0 });
    });

    it('lists the fields that changed', () => {
      const r = row('E1', { department: '人事部', position: '課長', familyNameKana: null });
      const plan = planRoster([r], snapshot({ entries: [recorded(row('E1'), { employeeNumber: 'E1', email: r.email })] }));
      expect(brief(plan)).toEqual(['E1:update:familyNameKana+department+position']);
    });

    it('moves the linked employee to alumni when a leaving date appears, once', () => {
      const before = row('E1');
      const after = { ...before, leftOn: '2025-03-31' };
      const member = { id: 'm1', status: 'employee' as const, email: before.email };
      const entry = recorded(before, { memberId: 'm1', invitationId: null });
      expect(brief(planRoster([after], snapshot({ entries: [entry], members: [member] })))).toEqual(['E1:leave:leaves=m1:leftOn']);
      // Imported again after the job: the entry has the date and the member is an alumnus.
      const done = snapshot({ entries: [{ ...entry, leftOn: '2025-03-31' }], members: [{ ...member, status: 'alumni' }] });
      expect(brief(planRoster([after], done))).toEqual(['E1:unchanged']);
      // An admin put them back to employee by hand: the same file does not undo that.
      const reinstated = snapshot({ entries: [{ ...entry, leftOn: '2025-03-31' }], members: [member] });
      expect(brief(planRoster([after], reinstated))).toEqual(['E1:unchanged']);
      // A corrected leaving date for someone already an alumnus is an update.
      const corrected = { ...after, leftOn: '2025-04-30' };
      expect(brief(planRoster([corrected], done))).toEqual(['E1:update:leftOn']);
    });

    it('keeps the recorded and the new value of every changed field, in column order', () => {
      const before = row('E1', { position: null });
      const entry = recorded(before, { memberId: 'm1', invitationId: null });
      const member = { id: 'm1', status: 'employee' as const, email: before.email };
      const after = { ...before, department: '営業本部', position: '課長', leftOn: '2025-03-31' };
      const [leave] = planRoster([after], snapshot({ entries: [entry], members: [member] })).decisions;
      expect(leave.fieldChanges).toEqual([
        { field: 'department', from: '営業部', to: '営業本部' },
        { field: 'position', from: null, to: '課長' },
        { field: 'leftOn', from: null, to: '2025-03-31' },
      ]);
      // A corrected date names both dates.
      const done = snapshot({ entries: [{ ...entry, ...after }], members: [{ ...member, status: 'alumni' }] });
      const [update] = planRoster([{ ...after, leftOn: '2025-04-30', position: null }], done).decisions;
      expect(update.fieldChanges).toEqual([
        { field: 'position', from: '課長', to: null },
        { field: 'leftOn', from: '2025-03-31', to: '2025-04-30' },
      ]);
      expect(planRoster([after], done).decisions[0].fieldChanges).toEqual([]);
    });

    it('shows the leaving date of a member who leaves as they are first linked', () => {
      const r = row('E1', { leftOn: '2025-03-31' });
      const [d] = planRoster([r], snapshot({ members: [{ id: 'm1', status: 'employee', email: r.email }] })).decisions;
      expect(d.kind).toBe('leave');
      expect(d.changedFields).toEqual([]);
      expect(d.fieldChanges).toEqual([{ field: 'leftOn', from: null, to: '2025-03-31' }]);
      // A new entry that is not a leaver lists no changes: everything is new.
      expect(planRoster([row('E2')], snapshot()).decisions[0].fieldChanges).toEqual([]);
    });

    it('invites again only when there was no invitation or the address changed', () => {
      const r = row('E1');
      expect(brief(planRoster([r], snapshot({ entries: [recorded(r)] })))).toEqual(['E1:unchanged']);
      expect(brief(planRoster([r], snapshot({ entries: [recorded(r, { invitationId: null, leftOn: '2019-03-31' })] })))).toEqual(['E1:invite:invite:leftOn']);
      const moved = { ...r, email: 'new.address@example.co.jp' };
      expect(brief(planRoster([moved], snapshot({ entries: [recorded(r)] })))).toEqual(['E1:invite:invite:email']);
      // Not while they have left.
      expect(brief(planRoster([{ ...moved, leftOn: '2024-03-31' }], snapshot({ entries: [recorded(r)] })))).toEqual(['E1:update:email+leftOn']);
    });

    it('links a recorded person who has become a member meanwhile', () => {
      const r = row('E1');
      const plan = planRoster([r], snapshot({ entries: [recorded(r)], members: [{ id: 'm9', status: 'employee', email: r.email }] }));
      expect(brief(plan)).toEqual(['E1:update:link=m9']);
    });

    it('never invites someone whose entry is linked to a member', () => {
      const r = row('E1', { email: 'changed@example.co.jp' });
      const plan = planRoster([r], snapshot({ entries: [recorded(row('E1'), { memberId: 'm1', invitationId: null })], members: [{ id: 'm1', status: 'alumni', email: 'e1@example.co.jp' }] }));
      expect(brief(plan)).toEqual(['E1:update:email']);
    });
  });

  describe('addresses that belong to someone else', () => {
    it('reports an address recorded for another employee number', () => {
      const other = row('E2', { email: 'shared@example.co.jp' });
      const plan = planRoster([row('E1', { email: 'shared@example.co.jp' })], snapshot({ entries: [recorded(other)] }));
      expect(plan.decisions).toEqual([]);
      expect(plan.issues).toEqual([{ line, column: 'email', code: 'membership.roster.errors.emailLinkedElsewhere', params: { employeeNumber: 'E2' } }]);
    });

    it('accepts the address when the same file gives the other employee number a new one', () => {
      const e2 = row('E2', { email: 'shared@example.co.jp' });
      const plan = planRoster([row('E1', { email: 'shared@example.co.jp' }), { ...e2, email: 'e2.new@example.co.jp' }], snapshot({ entries: [recorded(e2)] }));
      expect(plan.issues).toEqual([]);
      expect(brief(plan)).toEqual(['E1:invite:invite', 'E2:invite:invite:email']);
    });

    it('reports a member who is already linked to another employee number', () => {
      const e2 = row('E2');
      const r = row('E1', { email: 'member@example.co.jp' });
      const s = snapshot({ entries: [recorded(e2, { memberId: 'm1' })], members: [{ id: 'm1', status: 'employee', email: 'member@example.co.jp' }] });
      const plan = planRoster([r], s);
      expect(plan.issues.map((i) => i.params)).toEqual([{ employeeNumber: 'E2' }]);
    });
  });

  it('counts every kind over a mixed file', () => {
    const a = row('A');
    const b = row('B');
    const plan = planRoster(
      [row('N1'), row('N2', { leftOn: '2020-01-31' }), a, { ...b, position: '部長' }, row('M1', { leftOn: '2024-12-31' })],
      snapshot({ entries: [recorded(a), recorded(b)], members: [{ id: 'mm', status: 'employee', email: 'm1@example.co.jp' }] }),
    );
    expect(plan.counts).toEqual({ invite: 1, leave: 1, update: 1, unchanged: 1, skipped: 1 });
    expect(plan.decisions.map((d) => d.row.employeeNumber)).toEqual(['N1', 'N2', 'A', 'B', 'M1']);
  });
});
