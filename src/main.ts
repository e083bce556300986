import './web-heap-policy';
import { AppConfig } from '@libs/config';
import { createWebApp, prepareDatabase, prepareEnvironment, runProcess } from './bootstrap';

/** The web process: pages, JSON API and the queue dashboard. */
let stopDatabase: (() => Promise<void>) | undefined;
runProcess(async () => {
  ({ stopDatabase } = await prepareEnvironment());
  const app = await createWebApp();
  await prepareDatabase(app);
  const config = app.get(AppConfig);
  await app.listen(config.port);
  console.log(`Kizuna web is listening on ${config.baseUrl} (port ${config.port})`);
  return app;
}, () => stopDatabase?.() ?? Promise.resolve());
