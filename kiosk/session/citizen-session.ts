import { EventEmitter } from 'node:events';
import type { KioskConfig } from '../../config/schema.ts';
import { checkValidity, validateIdNumber, type IdCard } from '../../drivers/idcard/index.ts';
import { businessDay, type Clock } from '../clock.ts';
import { ERRORS } from '../errors.ts';
import { identityHash, maskIdNumber, maskName } from '../identity/privacy.ts';
import { PriorityRule } from '../queue/priority.ts';

/**
 * The citizen at the terminal right now. When a card is read, only what the steps need is kept:
 * a keyed hash (to find their ticket or appointment), the birth date (绿色通道 by age) and masked
 * name and number for the screen. The card object itself, with the full number, name, address
 * and photo, is dropped as soon as this returns.
 *
 * The identity belongs to one task: `end()` forgets it when the task is done, the kiosk goes home
 * or the citizen has been idle for `ui.idleTimeoutSeconds` (`expireIfIdle()`, driven by
 * kiosk/session/bind.ts; `touch()` is the UI's activity). A card still lying on the reader after
 * its identity ended is "used": the reader will not read it again until it is lifted, so the next
 * step that needs a card asks for that (`mustReplaceCard`, IDCARD_REPLACE) instead of going on
 * without an identity. Lifting the card mid-task does not end the identity (the citizen may take
 * their card back before tapping 取号); the task's end, home or the idle timer does.
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

/**
 * Why an identity ended: its task is done (ticket issued, check-in done, certificate printed), the
 * kiosk went home, nobody touched the screen for `ui.idleTimeoutSeconds`, or the daemon stops.
 * (A new card does not "end" the identity: it replaces it.)
 */
export type SessionEndReason = 'task' | 'home' | 'idle' | 'shutdown';

/**
 * What the reader says to the citizen when no identity is there to show: the last read failed
 * (the driver's message), or the card on the reader was already used for a task that has ended
 * and must be lifted and placed again (GA 467 readers read a card once per placing).
 */
export interface ReaderNotice {
  readonly code: 'IDCARD_READ_FAILED' | 'IDCARD_REPLACE';
  readonly message: string;
}

export const REPLACE_CARD_MESSAGE = ERRORS.IDCARD_REPLACE.message;

type SessionEvents = {
  changed: [SessionPublic | null];
  rejected: [message: string];
  /** Always emitted by `end()`, also when no identity was held (listeners drop task state). */
  ended: [reason: SessionEndReason];
  /** The reader notice changed (see `notice()`). */
  notice: [ReaderNotice | null];
};

export class CitizenSession extends EventEmitter<SessionEvents> {
  #identity: SessionIdentity | null = null;
  #config: KioskConfig;
  #clock: Clock;
  #priority: PriorityRule;
  /** The card on the reader, as far as the session knows: none, the one behind the identity, or one whose identity ended. */
  #card: 'none' | 'current' | 'used' = 'none';
  #readError: string | null = null;
  #lastActivity = 0;

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
    this.#card = 'current';
    this.#lastActivity = now;
    this.#setNotice(() => (this.#readError = null));
    this.emit('changed', this.public());
    return true;
  }

  /**
   * The identity behind a decoded 医保电子凭证 (kiosk/certificates/desk.ts), under the same rules
   * as a card: a keyed hash, the birth date and masked name and number; `clear()` forgets it.
   * The number must be a resident ID number (the decode service's idType 01).
   */
  acceptEVoucher(voucher: { readonly idNumber: string; readonly name: string }): boolean {
    const now = this.#clock();
    const check = validateIdNumber(voucher.idNumber, businessDay(now, this.#config.hall.timeZone, '00:00'));
    if (!check.ok) {
      this.emit('rejected', check.message);
      return false;
    }
    const day = this.#priority.businessDayAt(now);
    this.#identity = {
      hash: identityHash(check.idNumber, this.#config.privacy.hmacKey),
      birthDate: check.birthDate,
      age: this.#priority.ageOn(check.birthDate, day),
      elderly: this.#priority.isElderly(check.birthDate, day),
      expired: false,
      cardType: 'resident',
      maskedName: maskName(voucher.name, this.#config.privacy.mask),
      maskedId: maskIdNumber(check.idNumber, this.#config.privacy.mask),
      readAt: now,
    };
    this.#lastActivity = now;
    this.emit('changed', this.public());
    return true;
  }

  public(): SessionPublic | null {
    const i = this.#identity;
    if (!i) return null;
    return { age: i.age, elderly: i.elderly, expired: i.expired, cardType: i.cardType, maskedName: i.maskedName, maskedId: i.maskedId };
  }

  /** The reader's message for the screen when there is no identity to show; null when there is none. */
  notice(): ReaderNotice | null {
    if (this.#identity) return null;
    if (this.#card === 'used') return { code: 'IDCARD_REPLACE', message: REPLACE_CARD_MESSAGE };
    return this.#readError ? { code: 'IDCARD_READ_FAILED', message: this.#readError } : null;
  }

  /** The reader holds a card whose identity has ended: it must be lifted and placed again. */
  get mustReplaceCard(): boolean {
    return this.#identity === null && this.#card === 'used';
  }

  /** The driver could not read the card (bad checksum, read failed): the message is shown until the next read. */
  readFailed(message: string): void {
    this.#lastActivity = this.#clock();
    this.#setNotice(() => (this.#readError = message));
  }

  /** The card left the reader. The identity stays for its task (see the class comment). */
  cardRemoved(): void {
    this.#setNotice(() => {
      this.#card = 'none';
      this.#readError = null;
    });
  }

  /** The citizen is still there (a touch on the screen, reported by the UI). */
  touch(): void {
    this.#lastActivity = this.#clock();
  }

  /** Ends the identity (and a read error) after `ui.idleTimeoutSeconds` without activity. */
  expireIfIdle(): void {
    if (!this.#identity && !this.#readError) return;
    if (this.#clock() - this.#lastActivity >= this.#config.ui.idleTimeoutSeconds * 1000) this.end('idle');
  }

  /** The identity's task is over: forget it; a card still on the reader becomes "used". */
  end(reason: SessionEndReason): void {
    const had = this.#identity !== null;
    this.#identity = null;
    this.#setNotice(() => {
      if (this.#card === 'current') this.#card = 'used';
      this.#readError = null;
    });
    if (had) this.emit('changed', null);
    this.emit('ended', reason);
  }

  /** The kiosk went home (DELETE /kiosk/session). */
  clear(): void {
    this.end('home');
  }

  #setNotice(change: () => void): void {
    const before = this.notice();
    change();
    const after = this.notice();
    if (before?.code !== after?.code || before?.message !== after?.message) this.emit('notice', after);
  }
}
