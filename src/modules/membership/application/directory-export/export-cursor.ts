import { DomainError } from '@libs/ddd';

/** Where a batch of the directory export ends: the kana order key of its last member. */
export interface ExportPosition {
  familyNameKana: string;
  givenNameKana: string;
  memberId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeExportCursor(p: ExportPosition): string {
  return Buffer.from(JSON.stringify([p.familyNameKana, p.givenNameKana, p.memberId]), 'utf8').toString('base64url');
}

/** The position a cursor stands for; a cursor that was not made by encodeExportCursor is refused. */
export function decodeExportCursor(cursor: string): ExportPosition {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!Array.isArray(value) || value.length !== 3 || !value.every((v) => typeof v === 'string') || !UUID.test(value[2] as string)) {
    throw new DomainError('errors.badRequest.message');
  }
  const [familyNameKana, givenNameKana, memberId] = value as string[];
  return { familyNameKana, givenNameKana, memberId };
}
