// HTTP routes of auth: the caller's profile, admin ban/unban, API keys.
import { Router } from 'express';
import { z } from 'zod';
import { parseInput } from '../platform/http/validate.ts';
import { principalOf } from './auth.middleware.ts';
import type { AuthService } from './auth.service.ts';

const UserIdParam = z.object({ id: z.coerce.number().int().positive() });
const StatusBody = z.object({ status: z.enum(['active', 'banned']) });
const ApiKeyBody = z.object({ name: z.string().trim().min(1).max(100) });
const ApiKeyIdParam = z.object({ id: z.uuid() });

export function authRoutes(auth: AuthService): Router {
  const router = Router();

  router.get('/users/me', async (req, res) => {
    const principal = principalOf(req);
    const user = await auth.getUser(principal.userId);
    res.json({
      id: Number(user.id),
      username: user.username ?? '',
      first_name: user.first_name,
      last_name: user.last_name,
      avatar_url: user.avatar_url ?? '',
      is_premium: user.is_premium,
      role: principal.isAdmin ? 'admin' : user.role,
      status: user.status,
      wallet_address: user.wallet_address ?? '',
    });
  });

  router.put('/users/:id/status', async (req, res) => {
    const { id } = parseInput(UserIdParam, req.params, 'path');
    const { status } = parseInput(StatusBody, req.body, 'body');
    const user = await auth.setUserStatus(principalOf(req), id, status);
    res.json({ id: Number(user.id), username: user.username, status: user.status, role: user.role });
  });

  router.post('/api-keys', async (req, res) => {
    const { name } = parseInput(ApiKeyBody, req.body ?? {}, 'body');
    res.status(201).json(await auth.createApiKey(principalOf(req), name));
  });
  router.get('/api-keys', async (req, res) => {
    res.json(await auth.listApiKeys(principalOf(req)));
  });
  router.delete('/api-keys/:id', async (req, res) => {
    const { id } = parseInput(ApiKeyIdParam, req.params, 'path');
    await auth.revokeApiKey(principalOf(req), id);
    res.status(204).end();
  });
  return router;
}
