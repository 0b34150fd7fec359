// The winners export: owner/admin-only CSV, and one-time public links for clients that cannot send auth
// headers with a download (Telegram.WebApp.downloadFile). Any giveaway status is allowed: before the draw
// the file simply has its header row only.
import type pg from 'pg';
import { WINNERS_CSV_COLUMNS } from '../../schema/contract/exports.ts';
import type { ExportLinkResponse } from '../../schema/contract/exports.ts';
import type { Principal } from '../auth/index.ts';
import { AppError } from '../platform/errors.ts';
import type { Redis } from '../platform/redis.ts';
import { toCsv } from './csv.ts';
import { MemoryExportLinks, RedisExportLinks, newExportToken, type ExportLinkStore } from './export-links.ts';
import * as q from './exports.queries.ts';

export interface ExportsServiceOptions {
  pool: pg.Pool;
  redis: Redis | null;
  keyPrefix: string;
  /** No trailing slash (config strips it). */
  publicBaseUrl: string;
  /** Seconds a link stays valid; 120 as the legacy server (tests shorten it). */
  linkTtlSec?: number;
}

export interface CsvFile {
  filename: string;
  body: string;
}

export class ExportsService {
  private readonly links: ExportLinkStore;
  private readonly linkTtlSec: number;

  constructor(private readonly opts: ExportsServiceOptions) {
    this.links = opts.redis ? new RedisExportLinks(opts.redis, opts.keyPrefix) : new MemoryExportLinks();
    this.linkTtlSec = opts.linkTtlSec ?? 120;
  }

  async winnersCsv(principal: Principal, giveawayId: string): Promise<CsvFile> {
    await this.assertOwner(principal, giveawayId);
    return this.render(giveawayId);
  }

  async createExportLink(principal: Principal, giveawayId: string): Promise<ExportLinkResponse> {
    await this.assertOwner(principal, giveawayId);
    const token = newExportToken();
    await this.links.put(token, giveawayId, this.linkTtlSec);
    return {
      url: `${this.opts.publicBaseUrl}/api/public/giveaways/export/${token}`,
      expires_in: this.linkTtlSec,
    };
  }

  /** The token is the credential: it was minted for an owner, and works once. */
  async redeemExportLink(token: string): Promise<CsvFile> {
    const giveawayId = await this.links.take(token);
    if (!giveawayId) throw new AppError('NOT_FOUND', 'This export link is unknown, used or expired.');
    // The giveaway may have been deleted in the meantime.
    if (!(await q.selectGiveawayOwner(this.opts.pool, giveawayId))) {
      throw new AppError('NOT_FOUND', 'Giveaway not found.');
    }
    return this.render(giveawayId);
  }

  /** For HEAD probes: a download client checking the URL must not spend its one use. */
  async peekExportLink(token: string): Promise<{ filename: string }> {
    const giveawayId = await this.links.peek(token);
    if (!giveawayId) throw new AppError('NOT_FOUND', 'This export link is unknown, used or expired.');
    return { filename: csvFilename(giveawayId) };
  }

  private async assertOwner(principal: Principal, giveawayId: string): Promise<void> {
    const giveaway = await q.selectGiveawayOwner(this.opts.pool, giveawayId);
    if (!giveaway) throw new AppError('NOT_FOUND', 'Giveaway not found.');
    if (giveaway.creatorId !== principal.userId && !principal.isAdmin) {
      throw new AppError('FORBIDDEN', 'Only the giveaway creator can export its winners.');
    }
  }

  private async render(giveawayId: string): Promise<CsvFile> {
    const rows = await q.selectWinnerPrizes(this.opts.pool, giveawayId);
    return {
      filename: csvFilename(giveawayId),
      body: toCsv(
        WINNERS_CSV_COLUMNS,
        rows.map((r) => WINNERS_CSV_COLUMNS.map((column) => r[column])),
      ),
    };
  }
}

/** The name the Mini App also gives the download (mini-app-api.md §3.11). */
const csvFilename = (giveawayId: string) => `giveaway_${giveawayId}_winners.csv`;
