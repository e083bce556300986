import { applyDecorators } from '@nestjs/common';
import { ApiForbiddenResponse, ApiUnauthorizedResponse, type SchemaObject } from '@nestjs/swagger';

/** An id in the OpenAPI document. */
export const UUID_SCHEMA: SchemaObject = { type: 'string', format: 'uuid' };

/** The body of every JSON error answer (HttpErrorFilter writes it), in the OpenAPI document. */
export const API_ERROR_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string', example: 'BAD_REQUEST', description: 'The status name (NOT_FOUND, FORBIDDEN, CONFLICT, …)' },
    message: { type: 'string', description: "What went wrong, in the caller's language (their setting, the language cookie, Accept-Language; Japanese by default)" },
    messages: { type: 'array', items: { type: 'string' }, description: 'Message keys of problems that belong to no field' },
    fields: {
      type: 'object',
      description: "Per field: message keys with their parameters, and the text in the caller's language",
      additionalProperties: { type: 'array', items: { type: 'object', properties: { key: { type: 'string' }, params: { type: 'object' }, message: { type: 'string' } } } },
    },
  },
};

/** The answers of a route that needs a session: 401 without one, 403 (`forbidden` says when) with one. */
export const SignedInResponses = (forbidden: string) =>
  applyDecorators(
    ApiUnauthorizedResponse({ description: 'Not signed in (or the session ended)', schema: API_ERROR_SCHEMA }),
    ApiForbiddenResponse({ description: forbidden, schema: API_ERROR_SCHEMA }),
  );
