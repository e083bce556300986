import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoggerModuleAsyncParams } from 'nestjs-pino';
import { AppConfig } from '@libs/config';

/** Structured JSON logs with a request id (taken from X-Request-Id when a proxy sets one). */
export function loggerOptions(process: 'web' | 'worker'): LoggerModuleAsyncParams {
  return {
    inject: [AppConfig],
    useFactory: (config: AppConfig) => ({
      pinoHttp: {
        level: config.isTest ? 'silent' : config.logLevel,
        base: { process },
        genReqId: (req: IncomingMessage, res: ServerResponse) => {
          const given = req.headers['x-request-id'];
          const id = typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
          res.setHeader('X-Request-Id', id);
          return id;
        },
        redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
        autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' || !!req.url?.startsWith('/static/') },
        serializers: {
          req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url?.split('?')[0] }),
        },
      },
    }),
  };
}
