// Builds the OpenAPI 3.1 document from schema/contract's operation table (z.toJSONSchema of each schema), so
// the published API description cannot drift from the validators and routes the server runs.
import { z } from 'zod';
import {
  ERROR_CODES,
  OPERATION_ROUTES,
  OPERATION_SCHEMAS,
  type OperationId,
  type OperationSchemas,
} from '../../../schema/contract/index.ts';

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z_]+)/g, '{$1}');

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as {
    properties?: Record<string, unknown>;
    required?: string[];
  };

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const s = jsonSchema(schema, 'input');
  return Object.entries(s.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (s.required ?? []).includes(name),
    schema: property,
  }));
}

/** `operations`: what this server serves (the Telegram ones only with a bot token). */
export function buildOpenApi(operations: readonly OperationId[], info: { version: string }): object {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const id of operations) {
    const route = OPERATION_ROUTES[id];
    const schemas: OperationSchemas = OPERATION_SCHEMAS[id];
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(schemas.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.schema || response.contentType
          ? {
              content: {
                [response.contentType ?? 'application/json']: response.schema
                  ? { schema: jsonSchema(response.schema, 'output') }
                  : {},
              },
            }
          : {}),
      };
    }
    const errorStatuses = new Set(schemas.errors.map((code) => ERROR_CODES[code].status));
    for (const status of [...errorStatuses].sort()) {
      const codes = schemas.errors.filter((code) => ERROR_CODES[code].status === status);
      responses[String(status)] = {
        description: codes.join(', '),
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    const body = schemas.body;
    const bodyContent =
      schemas.bodyKind === 'upload' ? ['multipart/form-data', 'text/plain'] : ['application/json'];
    (paths[toOpenApiPath(route.path)] ??= {})[route.method] = {
      operationId: id,
      summary: route.summary,
      tags: [route.tag],
      security: route.auth === 'user' ? [{ telegramInitData: [] }, { apiKey: [] }] : [],
      ...('rateLimit' in route ? { 'x-rate-limit': route.rateLimit } : {}),
      'x-error-codes': schemas.errors,
      parameters: [...parameters(schemas.params, 'path'), ...parameters(schemas.query, 'query')],
      ...(body
        ? {
            requestBody: {
              required: !schemas.bodyOptional,
              content: Object.fromEntries(
                bodyContent.map((type) => [
                  type,
                  { schema: type === 'text/plain' ? { type: 'string' } : jsonSchema(body, 'input') },
                ]),
              ),
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Giveaway server API', version: info.version },
    paths,
    components: {
      securitySchemes: {
        telegramInitData: { type: 'apiKey', in: 'header', name: 'X-Telegram-Init-Data' },
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from POST /api/v1/api-keys' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error', 'code'],
          properties: {
            error: { type: 'string' },
            code: { type: 'string', enum: Object.keys(ERROR_CODES) },
            retry_after: { type: 'number' },
            details: {},
          },
        },
      },
    },
  };
}
