// The overlay's words in English and Russian (the two audiences of the product); `?lang=ru` picks one.
import type { Lang } from './options.ts';

const EN = {
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  notFound: 'Giveaway not found',
  entries: 'entries',
  watching: 'watching',
  endsIn: 'ends in',
  startsIn: 'starts in',
  timeUp: "time's up",
  statuses: {
    scheduled: 'Soon',
    active: 'Live',
    drawing: 'Drawing',
    pending: 'Drawing',
    completed: 'Winners',
    cancelled: 'Cancelled',
  } as Record<string, string>,
  drawingWinners: 'Drawing winners…',
  beaconRound: 'drand round',
  place: 'Place',
  noWinners: 'No winners: nobody entered',
  commitment: 'Seed commitment',
  verify: 'Verify the draw',
  rerolled: 'New winner',
  unclaimed: 'Unclaimed: no reserve left',
  demo: 'Demo',
  winner: 'Winner',
};
export type Text = typeof EN;

const RU: Text = {
  connecting: 'Подключение…',
  reconnecting: 'Переподключение…',
  notFound: 'Розыгрыш не найден',
  entries: 'участников',
  watching: 'смотрят',
  endsIn: 'до конца',
  startsIn: 'до старта',
  timeUp: 'время вышло',
  statuses: {
    scheduled: 'Скоро',
    active: 'Идёт',
    drawing: 'Розыгрыш',
    pending: 'Розыгрыш',
    completed: 'Победители',
    cancelled: 'Отменён',
  },
  drawingWinners: 'Выбираем победителей…',
  beaconRound: 'раунд drand',
  place: 'Место',
  noWinners: 'Победителей нет: никто не участвовал',
  commitment: 'Коммитмент сида',
  verify: 'Проверить розыгрыш',
  rerolled: 'Новый победитель',
  unclaimed: 'Не забрали: резервов нет',
  demo: 'Демо',
  winner: 'Победитель',
};

export const textFor = (lang: Lang): Text => (lang === 'ru' ? RU : EN);
