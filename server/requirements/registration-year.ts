// Estimates the year a Telegram account was registered from its numeric id (ids grow over time). The table
// is the legacy one (legacy-system.md §3.1): each row is the highest id seen in that year.
const YEAR_BOUNDS: ReadonlyArray<readonly [maxId: number, year: number]> = [
  [52_481_424, 2013],
  [112_594_714, 2014],
  [260_972_612, 2015],
  [417_043_996, 2016],
  [619_538_293, 2017],
  [851_921_979, 2018],
  [1_213_088_939, 2019],
  [1_974_255_900, 2020],
  [3_293_345_067, 2021],
  [5_171_460_881, 2022],
  [7_320_000_000, 2023],
];
/** Ids above the table's last bound. */
const LATEST_YEAR = 2024;

/** The estimated registration year, or null when the id is not a Telegram user id. */
export function estimateRegistrationYear(userId: number): number | null {
  if (!Number.isSafeInteger(userId) || userId <= 0) return null;
  for (const [maxId, year] of YEAR_BOUNDS) {
    if (userId <= maxId) return year;
  }
  return LATEST_YEAR;
}
