import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { MikroORM, RequestContext } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { freshDatabase } from '@libs/database/resolve-database';
import { SeedDemoCommunityCommand } from '@modules/membership/contracts';
import { Member } from '@modules/membership/domain/member.entity';
import { hashPassword } from '@modules/membership/domain/password-policy';
import { Profile } from '@modules/membership/domain/profile.entity';
import { demoPerson } from '@modules/membership/demo/demo-people';
import { DEMO_PASSWORD } from '@modules/membership/demo/seed-demo-community.handler';
import { AppModule } from '../app.module';
import { prepareDatabase } from '../bootstrap';

/**
 * npm run seed:large — a fresh database `kizuna_large` (SEED_DATABASE) with the demo logins and SEED_MEMBERS
 * (default 100,000) generated members with Japanese names, readings, departments, careers and skills.
 * Browse it with DATABASE_URL=…/kizuna_large npm start; benchmark it with npm run bench:directory.
 */
const COUNT = Number(process.env.SEED_MEMBERS ?? 100_000);
const DATABASE = process.env.SEED_DATABASE ?? 'kizuna_large';
const BATCH = 1000;
const FIRST_INDEX = 10_000;

/**
 * Family names that many people write with a variant (異体字) kanji in their own name, and how often: 髙橋 for 高橋,
 * 山﨑 for 山崎, 渡邉 and 渡邊 for 渡辺, 齋藤 and 齊藤 for 斎藤 and 斉藤. The share is per member of that family
 * name, picked from the member's index so that the data set stays the same from run to run.
 */
const VARIANT_FAMILY_NAMES: Record<string, readonly (readonly [variant: string, share: number])[]> = {
  高橋: [['髙橋', 0.06]],
  山崎: [['山﨑', 0.12]],
  宮崎: [['宮﨑', 0.08]],
  岩崎: [['岩﨑', 0.08]],
  渡辺: [['渡邉', 0.12], ['渡邊', 0.1]],
  斎藤: [['齋藤', 0.25]],
  斉藤: [['齊藤', 0.15]],
};

/** The family name as this member writes it: now and then a variant kanji (see VARIANT_FAMILY_NAMES). */
function familyNameAsWritten(familyName: string, index: number): string {
  const variants = VARIANT_FAMILY_NAMES[familyName];
  if (!variants) return familyName;
  let x = Math.imul(index ^ (index >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  let roll = ((x ^ (x >>> 16)) >>> 0) / 0x1_0000_0000;
  for (const [variant, share] of variants) {
    if (roll < share) return variant;
    roll -= share;
  }
  return familyName;
}

async function main(): Promise<void> {
  const server = await freshDatabase(DATABASE);
  const url = new URL(server.url);
  process.env.DATABASE_URL = url.toString();
  process.env.DEMO_SEED = 'false';
  const started = Date.now();

  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
  try {
    await prepareDatabase(app);
    const orm = app.get(MikroORM);
    await RequestContext.create(orm.em.fork(), () => app.get(CommandBus).execute(new SeedDemoCommunityCommand(0)));
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const em = app.get(EntityManager);
    for (let done = 0; done < COUNT; done += BATCH) {
      const members: Member[] = [];
      const profiles: Profile[] = [];
      for (let i = done; i < Math.min(COUNT, done + BATCH); i++) {
        const generated = demoPerson(FIRST_INDEX + i);
        const p = { ...generated, familyName: familyNameAsWritten(generated.familyName, i) };
        const member = Member.seeded({ email: p.email, passwordHash, status: p.status, departedOn: p.leftYear ? `${p.leftYear}-03-31` : undefined });
        member.createdAt = new Date(Date.UTC(p.joinedYear, 3, 1) + (i % 86_400) * 1000);
        const profile = new Profile(member.id, { ...p, contactEmail: null });
        profile.createdAt = member.createdAt;
        profile.replaceCareer(p.careerAtCompany.map((c) => ({ department: c.department, position: c.position, from: `${c.fromYear}-04`, to: c.toYear ? `${c.toYear}-03` : null })));
        profile.updateAfterCareer(p);
        profile.updateSkillsAndInterests({ skills: p.skills, qualifications: p.qualifications, interests: p.interests, bio: p.bio });
        profile.updateOpenTo(p);
        members.push(member);
        profiles.push(profile);
      }
      const fork = em.fork();
      await fork.insertMany(Member, members);
      await fork.insertMany(Profile, profiles);
      if ((done / BATCH) % 10 === 9 || done + BATCH >= COUNT) {
        console.log(`${Math.min(COUNT, done + BATCH).toLocaleString('en')} members (${((Date.now() - started) / 1000).toFixed(0)} s)`);
      }
    }
    await em.fork().getConnection().execute('analyze membership.member; analyze membership.profile;');
    console.log(`Database ${DATABASE}: ${COUNT.toLocaleString('en')} generated members plus the demo logins (password ${DEMO_PASSWORD}), in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  } finally {
    await app.close();
    await server.stop?.();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
