import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { MikroORM, RequestContext } from '@mikro-orm/core';
import { BootstrapAdministratorCommand } from '@modules/membership/contracts';
import { prepareEnvironment, prepareDatabase } from '../bootstrap';
import { AppModule } from '../app.module';

/**
 * The first HR admin of a new installation:
 *   npm run admin:create -- <e-mail> <姓> <名> <セイ> <メイ>
 * Prints a one-time link (valid one hour) where the admin chooses a password. An existing member is promoted.
 */
async function main(): Promise<void> {
  const [email, familyName, givenName, familyNameKana, givenNameKana] = process.argv.slice(2);
  if (!email || !familyName || !givenName || !familyNameKana || !givenNameKana) {
    console.error('Usage: npm run admin:create -- <e-mail> <family name> <given name> <family name kana> <given name kana>');
    process.exit(2);
  }
  process.env.DEMO_SEED = 'false';
  const { stopDatabase } = await prepareEnvironment();
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
  try {
    await prepareDatabase(app);
    const orm = app.get(MikroORM);
    const result = await RequestContext.create(orm.em.fork(), () =>
      app.get(CommandBus).execute(new BootstrapAdministratorCommand(email, { familyName, givenName, familyNameKana, givenNameKana })),
    );
    console.log(`${result.created ? 'Created' : 'Promoted'} HR admin ${email}.`);
    console.log(`Open this link within one hour to choose the password:\n${result.setPasswordUrl}`);
  } finally {
    await app.close();
    await stopDatabase?.();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
