import { readFragment, type ResultOf } from '../../app/graphql';
import { localDayKey } from '../../lib/time';
import { SlotCardFields } from './documents';
import type { SlotData } from './slot-card';
import { seatsWords, slotTimes, type WeekDay } from './slot-time';

type Slot = ResultOf<typeof SlotCardFields>;

export interface WeekSlot {
  slot: SlotData;
  topic: string;
  viewerIsHost: boolean;
}

// What the viewer has to do with a slot, as a short tag on its button.
function viewerTag(slot: Slot): { text: string; tone: string } | null {
  if (slot.viewerBooking?.status === 'BOOKED' && slot.state !== 'CANCELLED') return { text: 'Booked', tone: 'success' };
  if (slot.viewerWaitlistEntry?.status === 'OFFERED') return { text: 'Seat offered', tone: 'primary' };
  if (slot.viewerWaitlistEntry?.status === 'WAITING') return { text: 'On waitlist', tone: 'primary' };
  return null;
}

function stateWords(slot: Slot): string {
  switch (slot.state) {
    case 'CANCELLED':
      return 'Cancelled';
    case 'PAST':
      return 'Past';
    case 'FULL':
      // The viewer's own seat or place in line says the rest.
      return slot.viewerBooking?.status === 'BOOKED' || slot.viewerWaitlistEntry ? 'Full' : 'Full · waitlist';
    default:
      return seatsWords(slot.seatsLeft, slot.seats);
  }
}

// Monday to Sunday in the viewer's zone; each slot is a button that opens its card below the week.
export function WeekView({
  days,
  slots,
  zone,
  selectedId,
  showTopic,
  onSelect,
}: {
  days: readonly WeekDay[];
  slots: readonly WeekSlot[];
  zone: string;
  selectedId: string | null;
  showTopic: boolean;
  onSelect(slotId: string): void;
}) {
  const byDay = new Map<string, { slot: Slot; topic: string }[]>();
  for (const { slot: data, topic } of slots) {
    const slot = readFragment(SlotCardFields, data);
    const key = localDayKey(slot.startsAt, zone);
    const list = byDay.get(key) ?? [];
    list.push({ slot, topic });
    byDay.set(key, list);
  }
  for (const list of byDay.values()) list.sort((a, b) => a.slot.startsAt.localeCompare(b.slot.startsAt));

  return (
    <ol className="oh-week plain-list">
      {days.map((day) => {
        const daySlots = byDay.get(day.date) ?? [];
        return (
          <li key={day.date} className="oh-week__day">
            <h3 className="oh-week__day-title">
              <span className="visually-hidden">{day.weekday}, </span>
              {day.label}
            </h3>
            {daySlots.length === 0 ? (
              <p className="oh-week__empty">
                <span aria-hidden="true">–</span>
                <span className="visually-hidden">No slots</span>
              </p>
            ) : (
              <ul className="plain-list oh-week__slots">
                {daySlots.map(({ slot, topic }) => {
                  const times = slotTimes(slot.startsAt, slot.endsAt, slot.hostTimeZone, zone);
                  const tag = viewerTag(slot);
                  return (
                    <li key={slot.id}>
                      <button
                        type="button"
                        className={`oh-slot oh-slot--${slot.state.toLowerCase()}`}
                        aria-pressed={selectedId === slot.id}
                        onClick={() => onSelect(slot.id)}
                      >
                        <span className="oh-slot__time">{times.viewerClock}</span>
                        {times.host && <span className="oh-slot__host-time">{times.host}</span>}
                        {showTopic && <span className="oh-slot__topic">{topic}</span>}
                        <span className="oh-slot__seats">{stateWords(slot)}</span>
                        {tag && <span className={`tag tag--${tag.tone} oh-slot__tag`}>{tag.text}</span>}
                      </button>
                    </li>
                  );
                })}
              </ul>
            )}
          </li>
        );
      })}
    </ol>
  );
}
