// What an import did, for the operator: rows imported and updated per table, everything skipped with its
// key and reason, every value clamped to fit our constraints, how legacy statuses were mapped, and what the
// source itself disagreed about (status sets, join counters). Serialised as the JSON report.

export const ENTITIES = [
  'users',
  'placeholder_users',
  'channels',
  'channel_admins',
  'sponsors',
  'prizes',
  'giveaways',
  'requirements',
  'giveaway_prizes',
  'giveaway_sponsors',
  'participants',
  'tickets',
  'winners',
  'win_records',
  'draw_proofs',
  'draw_commitments',
  // Entrants frozen (stored as chunks of the list since migration 0010; counted per entrant, as before).
  'draw_entrants',
  'pre_winner_lists',
] as const;
export type Entity = (typeof ENTITIES)[number];

export interface SkippedItem {
  key: string;
  reason: string;
  detail?: string;
}

export interface ClampedItem {
  key: string;
  field: string;
  from: unknown;
  to: unknown;
}

export interface ImportSettings {
  dry_run: boolean;
  batch: number;
  writers: number;
  disable_triggers: boolean;
}

export interface ImportReportJson {
  source: string;
  dry_run: boolean;
  settings: ImportSettings;
  started_at: string;
  finished_at: string;
  duration_ms: number;
  keys: { scanned: number; by_kind: Record<string, number> };
  imported: Record<Entity, number>;
  updated: Record<Entity, number>;
  skipped: { total: number; by_reason: Record<string, number>; items: SkippedItem[]; items_left_off: number };
  clamped: { total: number; by_field: Record<string, number>; items: ClampedItem[]; items_left_off: number };
  status_mapping: Record<string, number>;
  ignored_keys: Record<string, number>;
  source_checks: {
    status_set_drift: number;
    status_set_orphans: number;
    participant_counter_drift: number;
    examples: string[];
  };
}

export type SourceCheck = 'status_set_drift' | 'status_set_orphans' | 'participant_counter_drift';

/** Lists are capped so a badly broken keyspace still gives a readable report; counts are always complete. */
const MAX_ITEMS = 10_000;
const MAX_EXAMPLES = 20;

const zeroes = (): Record<Entity, number> =>
  Object.fromEntries(ENTITIES.map((e) => [e, 0])) as Record<Entity, number>;

export class ImportReport {
  readonly imported = zeroes();
  readonly updated = zeroes();
  private readonly startedAt = new Date();
  private scanned = 0;
  private readonly byKind = new Map<string, number>();
  private readonly skipReasons = new Map<string, number>();
  private readonly skipItems: SkippedItem[] = [];
  private skipTotal = 0;
  private readonly clampFields = new Map<string, number>();
  private readonly clampItems: ClampedItem[] = [];
  private clampTotal = 0;
  private readonly statuses = new Map<string, number>();
  private readonly ignored = new Map<string, number>();
  private readonly checks = { status_set_drift: 0, status_set_orphans: 0, participant_counter_drift: 0 };
  private readonly examples: string[] = [];

  constructor(
    private readonly source: string,
    private readonly settings: ImportSettings,
  ) {}

  keyScanned(kind: string): void {
    this.scanned++;
    bump(this.byKind, kind);
  }

  skip(key: string, reason: string, detail?: string): void {
    this.skipTotal++;
    bump(this.skipReasons, reason);
    if (this.skipItems.length < MAX_ITEMS) {
      this.skipItems.push(detail === undefined ? { key, reason } : { key, reason, detail });
    }
  }

  clamp(key: string, field: string, from: unknown, to: unknown): void {
    this.clampTotal++;
    bump(this.clampFields, field);
    if (this.clampItems.length < MAX_ITEMS) this.clampItems.push({ key, field, from, to });
  }

  ignore(why: string): void {
    bump(this.ignored, why);
  }

  status(from: string, to: string): void {
    bump(this.statuses, `${from}→${to}`);
  }

  sourceCheck(check: SourceCheck, example: string): void {
    this.checks[check]++;
    if (this.examples.length < MAX_EXAMPLES) this.examples.push(example);
  }

  add(kind: 'imported' | 'updated', entity: Entity, n: number): void {
    this[kind][entity] += n;
  }

  get skippedTotal(): number {
    return this.skipTotal;
  }

  toJSON(): ImportReportJson {
    const finished = new Date();
    return {
      source: this.source,
      dry_run: this.settings.dry_run,
      settings: { ...this.settings },
      started_at: this.startedAt.toISOString(),
      finished_at: finished.toISOString(),
      duration_ms: finished.getTime() - this.startedAt.getTime(),
      keys: { scanned: this.scanned, by_kind: sorted(this.byKind) },
      imported: { ...this.imported },
      updated: { ...this.updated },
      skipped: {
        total: this.skipTotal,
        by_reason: sorted(this.skipReasons),
        items: this.skipItems,
        items_left_off: this.skipTotal - this.skipItems.length,
      },
      clamped: {
        total: this.clampTotal,
        by_field: sorted(this.clampFields),
        items: this.clampItems,
        items_left_off: this.clampTotal - this.clampItems.length,
      },
      status_mapping: sorted(this.statuses),
      ignored_keys: sorted(this.ignored),
      source_checks: { ...this.checks, examples: this.examples },
    };
  }
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function sorted(map: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...map.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
