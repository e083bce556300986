import request from 'supertest';
import type { NestExpressApplication } from '@nestjs/platform-express';

export type Agent = ReturnType<typeof request.agent>;

/** A browser-like client: keeps cookies between requests. */
export function browser(app: NestExpressApplication): Agent {
  return request.agent(app.getHttpServer());
}

/** The CSRF token of the agent's session, read from a page's form as a browser would. */
export async function csrfToken(agent: Agent, page = '/login'): Promise<string> {
  const res = await agent.get(page);
  const match = /name="_csrf" value="([^"]+)"/.exec(res.text);
  if (!match) throw new Error(`No CSRF token on ${page} (status ${res.status})`);
  return match[1];
}

/** Posts a form the way a browser does (urlencoded, with the session's CSRF token). */
export async function submit(agent: Agent, path: string, fields: Record<string, string | number | boolean | undefined>, page?: string) {
  const token = await csrfToken(agent, page ?? '/');
  const body: Record<string, string> = { _csrf: token };
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) body[k] = String(v);
  return agent.post(path).type('form').send(body);
}

export async function signIn(agent: Agent, email: string, password: string): Promise<void> {
  const res = await submit(agent, '/login', { email, password }, '/login');
  if (res.status !== 303 || res.headers.location !== '/') throw new Error(`Sign-in failed for ${email}: ${res.status} ${res.headers.location}`);
}

/** Follows one redirect and returns the page (what a person sees after submitting). */
export async function follow(agent: Agent, res: { status: number; headers: Record<string, string> }) {
  if (res.status !== 303 && res.status !== 302) throw new Error(`Expected a redirect, got ${res.status}`);
  return agent.get(res.headers.location);
}
