// Rerolls (draw protocol §4): a place goes to the next reserve, or the stream continues; never a re-draw.
export { Rerolls, type RerollsDeps } from './reroll.service.ts';
export { planReroll, type RerollPlan } from './reroll-plan.ts';
