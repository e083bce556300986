import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';

/**
 * What the HR system last said about one employee number. Imports compare each row with it, so importing the
 * same file twice changes nothing. Linked to the member once they join (or when their address already belongs
 * to one), and to the invitation sent to them.
 */
@Entity({ schema: 'membership', tableName: 'roster_entry' })
@Index({ properties: ['email'] })
export class RosterEntry {
  @PrimaryKey({ type: 'text' })
  employeeNumber: string;

  @Unique()
  @Property({ type: 'uuid', nullable: true })
  memberId?: string;

  @Property({ type: 'uuid', nullable: true })
  invitationId?: string;

  @Property({ type: 'text' })
  email: string;

  @Property({ type: 'text' })
  familyName: string;

  @Property({ type: 'text' })
  givenName: string;

  @Property({ type: 'text', nullable: true })
  familyNameKana?: string | null;

  @Property({ type: 'text', nullable: true })
  givenNameKana?: string | null;

  @Property({ type: 'text', nullable: true })
  department?: string | null;

  @Property({ type: 'text', nullable: true })
  position?: string | null;

  @Property({ type: 'date', nullable: true })
  hiredOn?: string | null;

  @Property({ type: 'date', nullable: true })
  leftOn?: string | null;

  @Property({ type: 'uuid' })
  lastImportId: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();

  constructor(employeeNumber: string, email: string, familyName: string, givenName: string, importId: string) {
    this.employeeNumber = employeeNumber;
    this.email = email;
    this.familyName = familyName;
    this.givenName = givenName;
    this.lastImportId = importId;
  }
}
