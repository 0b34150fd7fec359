// HTTP operations of auth (schema/contract/operations): the caller's profile, admin ban/unban, API keys.
import { defineHandlers } from '../platform/http/operation-router.ts';
import { principalOf } from './auth.middleware.ts';
import type { AuthService } from './auth.service.ts';

export type AuthOperationId = 'getMe' | 'setUserStatus' | 'createApiKey' | 'listApiKeys' | 'revokeApiKey';

export function authHandlers(auth: AuthService) {
  return defineHandlers<AuthOperationId>()({
    getMe: async (_input, req, res) => {
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
    },
    setUserStatus: async ({ params, body }, req, res) => {
      const user = await auth.setUserStatus(principalOf(req), params.id, body.status);
      res.json({ id: Number(user.id), username: user.username, status: user.status, role: user.role });
    },
    createApiKey: async ({ body }, req, res) => {
      res.status(201).json(await auth.createApiKey(principalOf(req), body.name));
    },
    listApiKeys: async (_input, req, res) => {
      res.json(await auth.listApiKeys(principalOf(req)));
    },
    revokeApiKey: async ({ params }, req, res) => {
      await auth.revokeApiKey(principalOf(req), params.id);
      res.status(204).end();
    },
  });
}
