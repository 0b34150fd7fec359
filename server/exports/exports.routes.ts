// HTTP operations of the winners export: the owner's CSV and link (under /api/v1, behind auth) and the public
// one-time download (under /api/public, no auth: the token is the credential).
import type { Request, Response } from 'express';
import { principalOf } from '../auth/index.ts';
import { defineHandlers } from '../platform/http/operation-router.ts';
import type { CsvFile, ExportsService } from './exports.service.ts';

/** Telegram Web fetches downloadFile() URLs from its own origin (the legacy server allowed it the same way). */
const TELEGRAM_WEB_ORIGIN = 'https://web.telegram.org';

export type ExportsOperationId = 'downloadWinnersCsv' | 'createExportLink';
export type PublicExportsOperationId = 'peekExport' | 'redeemExport';

export function exportsHandlers(service: ExportsService) {
  return defineHandlers<ExportsOperationId>()({
    downloadWinnersCsv: async ({ params }, req, res) => {
      sendCsv(res, await service.winnersCsv(principalOf(req), params.id));
    },
    createExportLink: async ({ params }, req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json(await service.createExportLink(principalOf(req), params.id));
    },
  });
}

export function publicExportHandlers(service: ExportsService) {
  return defineHandlers<PublicExportsOperationId>()({
    // Express would answer HEAD with the GET handler, spending the token on a probe; the table declares HEAD
    // apart, before GET.
    peekExport: async ({ params }, req, res) => {
      allowTelegramWeb(req, res);
      const { filename } = await service.peekExportLink(params.token);
      setCsvHeaders(res, filename);
      res.status(200).end();
    },
    redeemExport: async ({ params }, req, res) => {
      allowTelegramWeb(req, res);
      sendCsv(res, await service.redeemExportLink(params.token));
    },
  });
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
