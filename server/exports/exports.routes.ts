// HTTP routes of the winners export: the owner's CSV and link (under /api/v1, behind auth) and the public
// one-time download (under /api/public, no auth: the token is the credential).
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { ExportToken } from '../../schema/contract/exports.ts';
import { principalOf } from '../auth/index.ts';
import { parseInput } from '../platform/http/validate.ts';
import type { CsvFile, ExportsService } from './exports.service.ts';

const GiveawayIdParam = z.object({ id: z.uuid() });
const TokenParam = z.object({ token: ExportToken });

/** Telegram Web fetches downloadFile() URLs from its own origin (the legacy server allowed it the same way). */
const TELEGRAM_WEB_ORIGIN = 'https://web.telegram.org';

export function exportsRoutes(service: ExportsService): Router {
  const router = Router();
  router.get('/giveaways/:id/stats.csv', async (req, res) => {
    const { id } = parseInput(GiveawayIdParam, req.params, 'path');
    sendCsv(res, await service.winnersCsv(principalOf(req), id));
  });
  router.get('/giveaways/:id/export-link', async (req, res) => {
    const { id } = parseInput(GiveawayIdParam, req.params, 'path');
    res.setHeader('Cache-Control', 'no-store');
    res.json(await service.createExportLink(principalOf(req), id));
  });
  return router;
}

export function publicExportRoutes(service: ExportsService): Router {
  const router = Router();
  // Express would answer HEAD with the GET handler, spending the token on a probe; answer it apart.
  router.head('/giveaways/export/:token', async (req, res) => {
    const { token } = parseInput(TokenParam, req.params, 'path');
    allowTelegramWeb(req, res);
    const { filename } = await service.peekExportLink(token);
    setCsvHeaders(res, filename);
    res.status(200).end();
  });
  router.get('/giveaways/export/:token', async (req, res) => {
    const { token } = parseInput(TokenParam, req.params, 'path');
    allowTelegramWeb(req, res);
    sendCsv(res, await service.redeemExportLink(token));
  });
  return router;
}

function setCsvHeaders(res: Response, filename: string): void {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.setHeader('Cache-Control', 'no-store');
}

function sendCsv(res: Response, file: CsvFile): void {
  setCsvHeaders(res, file.filename);
  res.send(file.body);
}

function allowTelegramWeb(req: Request, res: Response): void {
  if (req.header('origin') !== TELEGRAM_WEB_ORIGIN) return;
  res.setHeader('Access-Control-Allow-Origin', TELEGRAM_WEB_ORIGIN);
  res.vary('Origin');
}
