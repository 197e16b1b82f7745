import { EventEmitter } from 'node:events';
import type { KioskConfig } from '../../config/schema.ts';
import { checkValidity, validateIdNumber, type IdCard } from '../../drivers/idcard/index.ts';
import { businessDay, type Clock } from '../clock.ts';
import { identityHash, maskIdNumber, maskName } from '../identity/privacy.ts';
import { PriorityRule } from '../queue/priority.ts';

/**
 * The citizen at the terminal right now. When a card is read, only what the steps need is kept:
 * a keyed hash (to find their ticket or appointment), the birth date (绿色通道 by age) and masked
 * name and number for the screen. The card object itself, with the full number, name, address
 * and photo, is dropped as soon as this returns. `clear()` forgets everything.
 */
export interface SessionIdentity {
  readonly hash: string;
  readonly birthDate: string;
  readonly age: number;
  readonly elderly: boolean;
  readonly expired: boolean;
  readonly cardType: IdCard['type'];
  readonly maskedName: string;
  readonly maskedId: string;
  readonly readAt: number;
}

export type SessionPublic = Omit<SessionIdentity, 'hash' | 'birthDate' | 'readAt'>;

type SessionEvents = { changed: [SessionPublic | null]; rejected: [message: string] };

export class CitizenSession extends EventEmitter<SessionEvents> {
  #identity: SessionIdentity | null = null;
  #config: KioskConfig;
  #clock: Clock;
  #priority: PriorityRule;

  constructor(config: KioskConfig, clock: Clock, priority: PriorityRule = new PriorityRule(config)) {
    super();
    this.#config = config;
    this.#clock = clock;
    this.#priority = priority;
  }

  get identity(): SessionIdentity | null {
    return this.#identity;
  }

  /** Takes what the steps need from a freshly read card. Returns false (and says why) if unusable. */
  acceptCard(card: IdCard): boolean {
    const now = this.#clock();
    const today = businessDay(now, this.#config.hall.timeZone, '00:00');
    if (card.type === 'resident' || card.type === 'hk-mo-tw-permit') {
      const check = validateIdNumber(card.idNumber, today);
      if (!check.ok) {
        this.emit('rejected', check.message);
        return false;
      }
    }
    const validity = checkValidity(card.validFrom, card.validTo, today);
    // Age, and with it 绿色通道, is counted on the hall's business day (queue/priority.ts).
    const day = this.#priority.businessDayAt(now);
    const age = this.#priority.ageOn(card.birthDate, day);
    this.#identity = {
      hash: identityHash(card.idNumber, this.#config.privacy.hmacKey),
      birthDate: card.birthDate,
      age,
      elderly: this.#priority.isElderly(card.birthDate, day),
      expired: !validity.ok,
      cardType: card.type,
      maskedName: maskName(card.name || ('englishName' in card ? card.englishName : ''), this.#config.privacy.mask),
      maskedId: maskIdNumber(card.idNumber, this.#config.privacy.mask),
      readAt: now,
    };
    this.emit('changed', this.public());
    return true;
  }

  public(): SessionPublic | null {
    const i = this.#identity;
    if (!i) return null;
    return { age: i.age, elderly: i.elderly, expired: i.expired, cardType: i.cardType, maskedName: i.maskedName, maskedId: i.maskedId };
  }

  clear(): void {
    if (!this.#identity) return;
    this.#identity = null;
    this.emit('changed', null);
  }
}
