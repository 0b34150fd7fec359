// Public surface of the change feed: the node's LISTEN connection on committed giveaway changes, and the
// advisory-lock leader election that roles needing "exactly one node does this" build on.
export {
  ChangeFeed,
  CHANGE_CHANNEL,
  type ChangeCallback,
  type ChangeFeedOptions,
  type ChangeNotification,
  type ChangeOp,
  type NoticeCallback,
  type SubscribeOptions,
} from './change-feed.ts';
export { LeaderLock, type LeaderLockOptions, type LeadershipCallback } from './leader-lock.ts';
