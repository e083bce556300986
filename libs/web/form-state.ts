import type { Request } from 'express';

export interface FieldMessage {
  key: string;
  params?: Record<string, unknown>;
}

export interface FormState {
  path: string;
  values: Record<string, unknown>;
  errors: Record<string, FieldMessage[]>;
  general: FieldMessage[];
}

export interface Flash {
  type: 'success' | 'info' | 'error';
  key: string;
}

type SessionWithForms = { formState?: FormState; flash?: Flash };

const SECRET_FIELD = /password|token|_csrf/i;

/** Keeps what was typed (never passwords) and the messages, for the page the browser is sent back to. */
export function keepFormState(req: Request, path: string, errors: Record<string, FieldMessage[]>, general: FieldMessage[]): void {
  const values: Record<string, unknown> = {};
  const body = (req.body ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(body)) if (!SECRET_FIELD.test(k)) values[k] = v;
  (req.session as unknown as SessionWithForms).formState = { path, values, errors, general };
}

export function takeFormState(req: Request): FormState | undefined {
  const session = req.session as unknown as SessionWithForms | undefined;
  const state = session?.formState;
  if (!state) return undefined;
  if (state.path !== req.path) return undefined;
  delete session.formState;
  return state;
}

/** A one-time message shown on the next page. */
export function flash(req: Request, type: Flash['type'], key: string): void {
  (req.session as unknown as SessionWithForms).flash = { type, key };
}

export function takeFlash(req: Request): Flash | undefined {
  const session = req.session as unknown as SessionWithForms | undefined;
  const value = session?.flash;
  if (value) delete session.flash;
  return value;
}
