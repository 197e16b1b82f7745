/** The channel on which a committed transaction with events wakes the other daemons (LISTEN/NOTIFY). */
export const HALL_EVENTS_CHANNEL = 'kiosk_hall_events';
