// Builds the OpenAPI 3.1 document from schema/contract's operation list and zod schemas (z.toJSONSchema),
// so the published API description cannot drift from the validators the server runs.
import { z } from 'zod';
import { ERROR_CODES, type RestOperation } from '../../../schema/contract/index.ts';

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z_]+)/g, '{$1}');

export function buildOpenApi(operations: readonly RestOperation[], info: { version: string }): object {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const params = [...op.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const query = op.query
      ? Object.entries(
          (
            z.toJSONSchema(op.query, { io: 'input', unrepresentable: 'any' }) as {
              properties?: Record<string, unknown>;
            }
          ).properties ?? {},
        ).map(([name, schema]) => ({ name, in: 'query', required: false, schema }))
      : [];
    (paths[toOpenApiPath(op.path)] ??= {})[op.method] = {
      summary: op.summary,
      tags: [op.tag],
      security: op.auth === 'telegram' ? [{ telegramInitData: [] }, { apiKey: [] }] : [],
      parameters: [...params, ...query],
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: z.toJSONSchema(op.body, { io: 'input', unrepresentable: 'any' }),
                },
              },
            },
          }
        : {}),
      responses: {
        [op.success.status]: { description: op.success.description },
        default: {
          description: 'Error',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
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
