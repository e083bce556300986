import type { DirectoryExportRow } from '@modules/membership/contracts';
import { csvDateTime, exportCells, exportFileName, exportHeader } from './member-export.csv';

const ROW: DirectoryExportRow = {
  memberId: '0b7e5a52-6c1d-4c8e-9a55-2f0f3f8f1a10',
  familyName: '田中',
  givenName: '美咲',
  familyNameKana: 'タナカ',
  givenNameKana: 'ミサキ',
  romajiName: 'Misaki Tanaka',
  email: 'misaki@example.jp',
  status: 'alumni',
  role: 'member',
  lastDepartment: '人事部',
  lastPosition: null,
  joinedYear: 2010,
  leftYear: 2020,
  location: '東京都',
  currentCompany: '=株式会社みらい',
  skills: ['採用', '労務'],
  joinedAt: new Date('2026-11-24T06:49:00Z'),
};

describe('the member export columns', () => {
  it('have a translated header for each cell', () => {
    const header = exportHeader((key) => `<${key}>`);
    expect(header[0]).toBe('<admin.export.columns.memberId>');
    expect(header).toHaveLength(exportCells(ROW, { label: (p, v) => v, dateTime: () => '' }).length);
  });

  it('write one member: labels for status and role, skills joined, the time in the time zone', () => {
    const cells = exportCells(ROW, { label: (prefix, value) => `${prefix}:${value}`, dateTime: csvDateTime('Asia/Tokyo') });
    expect(cells).toEqual([
      ROW.memberId, '田中', '美咲', 'タナカ', 'ミサキ', 'Misaki Tanaka', 'misaki@example.jp', 'status:alumni', 'role:member',
      '人事部', null, 2010, 2020, '東京都', '=株式会社みらい', '採用、労務', '2026-11-24 15:49',
    ]);
  });

  it('name the file after the local date and time', () => {
    expect(exportFileName(new Date('2026-11-24T15:05:00Z'), 'Asia/Tokyo')).toBe('members-20261125-0005.csv');
  });
});
