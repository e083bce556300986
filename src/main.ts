import { AppConfig } from '@libs/config';
import { createWebApp, prepareDatabase, prepareEnvironment } from './bootstrap';

async function main(): Promise<void> {
  const { stopDatabase } = await prepareEnvironment();
  const app = await createWebApp();
  await prepareDatabase(app);
  const config = app.get(AppConfig);
  await app.listen(config.port);
  console.log(`Kizuna web is listening on ${config.baseUrl} (port ${config.port})`);
  const stop = async () => {
    await app.close();
    await stopDatabase?.();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
