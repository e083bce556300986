import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import type { MemberRole } from '@libs/security/access-policy';
import { SeedDemoCommunityCommand } from '../contracts';
import { Member } from '../domain/member.entity';
import { hashPassword } from '../domain/password-policy';
import { Profile } from '../domain/profile.entity';
import { demoPeople, type DemoPerson } from './demo-people';

/** The password of every demo account (shown in the README). */
export const DEMO_PASSWORD = 'Kizuna-demo-2026';

export const DEMO_LOGINS: { email: string; role: MemberRole; status: 'employee' | 'alumni'; familyName: string; givenName: string; familyNameKana: string; givenNameKana: string; romajiName: string; lastDepartment: string; lastPosition: string }[] = [
  { email: 'admin@example.jp', role: 'admin', status: 'employee', familyName: '人事', givenName: '花子', familyNameKana: 'ジンジ', givenNameKana: 'ハナコ', romajiName: 'Hanako Jinji', lastDepartment: '人事部', lastPosition: '課長' },
  { email: 'operator@example.jp', role: 'operator', status: 'alumni', familyName: '運営', givenName: '太郎', familyNameKana: 'ウンエイ', givenNameKana: 'タロウ', romajiName: 'Taro Unei', lastDepartment: '広報部', lastPosition: '主任' },
  { email: 'alumni@example.jp', role: 'member', status: 'alumni', familyName: '卒業', givenName: '美咲', familyNameKana: 'ソツギョウ', givenNameKana: 'ミサキ', romajiName: 'Misaki Sotsugyo', lastDepartment: '営業部', lastPosition: '係長' },
  { email: 'employee@example.jp', role: 'member', status: 'employee', familyName: '在籍', givenName: '健太', familyNameKana: 'ザイセキ', givenNameKana: 'ケンタ', romajiName: 'Kenta Zaiseki', lastDepartment: '開発本部', lastPosition: 'シニアエンジニア' },
];

function profileFor(memberId: string, p: DemoPerson): Profile {
  const profile = new Profile(memberId, {
    familyName: p.familyName,
    givenName: p.givenName,
    familyNameKana: p.familyNameKana,
    givenNameKana: p.givenNameKana,
    romajiName: p.romajiName,
    birthDate: p.birthDate,
    lastDepartment: p.lastDepartment,
    lastPosition: p.lastPosition,
    location: p.location,
    joinedYear: p.joinedYear,
    leftYear: p.leftYear,
    contactEmail: p.email.replace('@', '.contact@'),
  });
  profile.replaceCareer(
    p.careerAtCompany.map((c) => ({ department: c.department, position: c.position, from: `${c.fromYear}-04`, to: c.toYear ? `${c.toYear}-03` : null })),
  );
  profile.updateAfterCareer(p);
  profile.updateSkillsAndInterests({ skills: p.skills, qualifications: p.qualifications, interests: p.interests, bio: p.bio });
  profile.updateOpenTo(p);
  return profile;
}

@CommandHandler(SeedDemoCommunityCommand)
export class SeedDemoCommunityHandler implements ICommandHandler<SeedDemoCommunityCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ count }: SeedDemoCommunityCommand): Promise<{ created: number }> {
    if ((await this.em.count(Member, {})) > 0) return { created: 0 };
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const people = [...demoPeople(count + DEMO_LOGINS.length + 6)];
    let created = 0;

    DEMO_LOGINS.forEach((login, i) => {
      const base = people[i];
      const member = Member.seeded({ email: login.email, passwordHash, status: login.status, role: login.role, departedOn: login.status === 'alumni' ? `${base.leftYear ?? 2020}-03-31` : undefined });
      const profile = profileFor(member.id, { ...base, ...login, leftYear: login.status === 'alumni' ? base.leftYear ?? 2020 : null, currentCompany: login.status === 'alumni' ? base.currentCompany : null, currentIndustry: login.status === 'alumni' ? base.currentIndustry : null, currentPosition: login.status === 'alumni' ? base.currentPosition : null });
      if (login.status === 'employee') profile.updateAfterCareer({});
      this.em.persist([member, profile]);
      created++;
    });

    for (const p of people.slice(DEMO_LOGINS.length, DEMO_LOGINS.length + count)) {
      const member = Member.seeded({ email: p.email, passwordHash, status: p.status, departedOn: p.leftYear ? `${p.leftYear}-03-31` : undefined });
      this.em.persist([member, profileFor(member.id, p)]);
      created++;
      if (created % 1000 === 0) {
        await this.em.flush();
        this.em.clear();
      }
    }

    // A few applications waiting for an operator, so the approval queue has something to show.
    for (const p of people.slice(DEMO_LOGINS.length + count)) {
      const member = Member.apply({ email: p.email.replace('@', '.apply@'), passwordHash, appliedAs: p.status, note: p.bio.split('。')[0] + '。' });
      member.verifyEmail();
      const profile = new Profile(member.id, { familyName: p.familyName, givenName: p.givenName, familyNameKana: p.familyNameKana, givenNameKana: p.givenNameKana, lastDepartment: p.lastDepartment, joinedYear: p.joinedYear, leftYear: p.leftYear });
      this.em.persist([member, profile]);
      created++;
    }
    await this.em.flush();
    return { created };
  }
}
