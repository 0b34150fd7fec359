// The REST surface as data: every operation with its input schemas. The OpenAPI document at /api/docs is
// generated from this list, and a test checks it against the routes the server really mounts.
import type { z } from 'zod';
import { CreateGiveawayBody, ListQuery, StatusBody, TicketsBody, UpdateGiveawayBody } from './giveaways.ts';

export interface RestOperation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express-style path under the server root, e.g. /api/v1/giveaways/:id */
  path: string;
  summary: string;
  auth: 'telegram' | 'public';
  body?: z.ZodType;
  query?: z.ZodType;
  /** Status of success and what it returns, in words (shapes are in schema/contract). */
  success: { status: number; description: string };
  tag: string;
}

const v1 = (path: string) => `/api/v1${path}`;
const op = (o: RestOperation) => o;

export const REST_OPERATIONS: RestOperation[] = [
  op({
    method: 'get',
    path: v1('/users/me'),
    summary: 'The caller, upserted from init-data',
    auth: 'telegram',
    success: { status: 200, description: 'User' },
    tag: 'users',
  }),
  op({
    method: 'put',
    path: v1('/users/:id/status'),
    summary: 'Ban or unban a user (admin)',
    auth: 'telegram',
    success: { status: 200, description: 'User' },
    tag: 'users',
  }),
  op({
    method: 'post',
    path: v1('/api-keys'),
    summary: 'Create an API key; the secret is returned once',
    auth: 'telegram',
    success: { status: 201, description: 'ApiKey with key' },
    tag: 'api-keys',
  }),
  op({
    method: 'get',
    path: v1('/api-keys'),
    summary: "The caller's API keys (no secrets)",
    auth: 'telegram',
    success: { status: 200, description: 'ApiKey[]' },
    tag: 'api-keys',
  }),
  op({
    method: 'delete',
    path: v1('/api-keys/:id'),
    summary: 'Revoke an API key',
    auth: 'telegram',
    success: { status: 204, description: 'No content' },
    tag: 'api-keys',
  }),
  op({
    method: 'get',
    path: v1('/requirements/templates'),
    summary: 'Requirement types this server accepts',
    auth: 'telegram',
    success: { status: 200, description: 'RequirementTemplate[]' },
    tag: 'requirements',
  }),
  op({
    method: 'get',
    path: v1('/prizes/templates'),
    summary: 'Prize templates',
    auth: 'telegram',
    success: { status: 200, description: 'PrizeTemplate[]' },
    tag: 'requirements',
  }),
  op({
    method: 'post',
    path: v1('/giveaways'),
    summary: 'Create a giveaway',
    auth: 'telegram',
    body: CreateGiveawayBody,
    success: { status: 201, description: 'GiveawayView' },
    tag: 'giveaways',
  }),
  op({
    method: 'get',
    path: v1('/giveaways'),
    summary: 'Active giveaways by participants, then newest',
    auth: 'telegram',
    query: ListQuery,
    success: { status: 200, description: 'GiveawayView[]; X-Next-Cursor header' },
    tag: 'giveaways',
  }),
  op({
    method: 'get',
    path: v1('/giveaways/me/all'),
    summary: "The caller's giveaways",
    auth: 'telegram',
    query: ListQuery,
    success: { status: 200, description: 'GiveawayView[]' },
    tag: 'giveaways',
  }),
  op({
    method: 'get',
    path: v1('/giveaways/me/active'),
    summary: "The caller's live giveaways",
    auth: 'telegram',
    query: ListQuery,
    success: { status: 200, description: 'GiveawayView[]' },
    tag: 'giveaways',
  }),
  op({
    method: 'get',
    path: v1('/giveaways/me/history'),
    summary: "The caller's finished giveaways",
    auth: 'telegram',
    query: ListQuery,
    success: { status: 200, description: 'GiveawayView[]' },
    tag: 'giveaways',
  }),
  op({
    method: 'get',
    path: v1('/giveaways/me/participated'),
    summary: 'Live giveaways the caller joined',
    auth: 'telegram',
    query: ListQuery,
    success: { status: 200, description: 'GiveawayView[]' },
    tag: 'giveaways',
  }),
  op({
    method: 'get',
    path: v1('/giveaways/me/participation/history'),
    summary: 'Finished giveaways the caller joined',
    auth: 'telegram',
    query: ListQuery,
    success: { status: 200, description: 'GiveawayView[]' },
    tag: 'giveaways',
  }),
  op({
    method: 'get',
    path: v1('/users/:creator_id/giveaways'),
    summary: "A creator's giveaways",
    auth: 'telegram',
    query: ListQuery,
    success: { status: 200, description: 'GiveawayView[]' },
    tag: 'giveaways',
  }),
  op({
    method: 'get',
    path: v1('/users/:creator_id/giveaways/finished'),
    summary: "A creator's completed giveaways",
    auth: 'telegram',
    query: ListQuery,
    success: { status: 200, description: 'GiveawayView[]' },
    tag: 'giveaways',
  }),
  op({
    method: 'get',
    path: v1('/giveaways/:id'),
    summary: 'One giveaway, with the caller role',
    auth: 'telegram',
    success: { status: 200, description: 'GiveawayView' },
    tag: 'giveaways',
  }),
  op({
    method: 'put',
    path: v1('/giveaways/:id'),
    summary: 'Edit within 5 minutes of start (owner)',
    auth: 'telegram',
    body: UpdateGiveawayBody,
    success: { status: 200, description: 'GiveawayView' },
    tag: 'giveaways',
  }),
  op({
    method: 'delete',
    path: v1('/giveaways/:id'),
    summary: 'Delete (owner)',
    auth: 'telegram',
    success: { status: 204, description: 'No content' },
    tag: 'giveaways',
  }),
  op({
    method: 'patch',
    path: v1('/giveaways/:id/status'),
    summary: 'Change status along the transition table (owner/admin)',
    auth: 'telegram',
    body: StatusBody,
    success: { status: 200, description: 'GiveawayView' },
    tag: 'giveaways',
  }),
  op({
    method: 'post',
    path: v1('/giveaways/:id/cancel'),
    summary: 'Cancel within 5 minutes with ≤ 10 participants (owner)',
    auth: 'telegram',
    success: { status: 200, description: 'GiveawayView' },
    tag: 'giveaways',
  }),
  op({
    method: 'post',
    path: v1('/giveaways/:id/recreate'),
    summary: 'Copy a finished giveaway as a new active one (owner)',
    auth: 'telegram',
    success: { status: 201, description: 'GiveawayView' },
    tag: 'giveaways',
  }),
  op({
    method: 'post',
    path: v1('/giveaways/:id/join'),
    summary: 'Join (idempotent)',
    auth: 'telegram',
    success: { status: 200, description: '{status: joined | already_joined}' },
    tag: 'giveaways',
  }),
  op({
    method: 'post',
    path: v1('/giveaways/:id/tickets'),
    summary: 'Grant tickets to a participant (admin)',
    auth: 'telegram',
    body: TicketsBody,
    success: { status: 200, description: '{tickets, weight}' },
    tag: 'giveaways',
  }),
  op({
    method: 'get',
    path: v1('/giveaways/:id/check-requirements'),
    summary: "The caller's requirement results",
    auth: 'telegram',
    success: { status: 200, description: 'CheckRequirementsResponse' },
    tag: 'giveaways',
  }),
  op({
    method: 'get',
    path: v1('/giveaways/:id/stats.csv'),
    summary: 'Winners CSV (owner; UTF-8 BOM)',
    auth: 'telegram',
    success: { status: 200, description: 'text/csv' },
    tag: 'exports',
  }),
  op({
    method: 'get',
    path: v1('/giveaways/:id/export-link'),
    summary: 'One-time public download link, valid 2 minutes (owner)',
    auth: 'telegram',
    success: { status: 200, description: '{url, expires_in}' },
    tag: 'exports',
  }),
  op({
    method: 'get',
    path: '/api/public/giveaways/export/:token',
    summary: 'Download the winners CSV once',
    auth: 'public',
    success: { status: 200, description: 'text/csv' },
    tag: 'exports',
  }),
];
