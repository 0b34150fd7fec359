// The bot role: long polling, or registering the webhook (which the api role serves). Both retry in the
// background, so a Telegram outage at boot never stops the node from becoming ready.
import type { Services } from './services.ts';
import type { Part } from './lifecycle.ts';

export function botRole(services: Services): Part {
  const runner = services.bot?.runner;
  return {
    name: 'bot',
    start: () => (runner ? runner.start() : Promise.resolve()),
    stop: () => (runner ? runner.stop() : Promise.resolve()),
  };
}
