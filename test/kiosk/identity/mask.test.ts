import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.ts';
import { SAMPLE_CARDS } from '../../../drivers/idcard/index.ts';
import { maskIdNumber, maskName } from '../../../kiosk/identity/privacy.ts';
import { CitizenSession } from '../../../kiosk/session/citizen-session.ts';
import { fakeClock } from '../../helpers/engine.ts';

const config = loadConfig();
const pattern = config.privacy.mask;

describe('maskName (kiosk/identity/mask.ts)', () => {
  it('keeps a one-character surname and masks each other character', async () => {
    expect(maskName('张三', pattern)).toBe('张*');
    expect(maskName('李小四', pattern)).toBe('李**');
    expect(maskName('张王小明', pattern)).toBe('张***');
  });

  it('keeps a 复姓 whole', async () => {
    expect(maskName('欧阳锋', pattern)).toBe('欧阳*');
    expect(maskName('欧阳娜娜', pattern)).toBe('欧阳**');
    for (const surname of ['司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '长孙', '慕容', '令狐']) {
      expect(maskName(`${surname}明`, pattern)).toBe(`${surname}*`);
    }
  });

  it('fully masks a one-character name, and a two-character name that only looks like a 复姓 keeps one', async () => {
    expect(maskName('张', pattern)).toBe('*');
    expect(maskName('欧阳', pattern)).toBe('欧*');
    expect(maskName('', pattern)).toBe('');
  });

  it('keeps the separators of ethnic-minority names', async () => {
    expect(maskName('买买提·艾力', pattern)).toBe('买**·**');
    expect(maskName('阿依古丽・吐尔逊', pattern)).toBe('阿***・***');
  });

  it('follows the configured pattern', async () => {
    expect(maskName('李小四', { ...pattern, nameKeepStart: 2, maskChar: '○' })).toBe('李小○');
    expect(maskName('欧阳娜娜', { ...pattern, nameKeepStart: 0 })).toBe('****');
  });
});

describe('maskIdNumber', () => {
  it('keeps the first 3 and the last 4 with the default pattern', async () => {
    expect(maskIdNumber('11010519491231123X', pattern)).toBe('110***********123X');
    expect(maskIdNumber('USA310085010100', pattern)).toBe('USA********0100');
    expect(maskIdNumber('1234567', pattern)).toBe('*******');
  });
});

describe('the session shows names masked by it', () => {
  it('masks a 复姓 citizen as 欧阳*', async () => {
    const session = new CitizenSession(config, fakeClock());
    session.acceptCard({ ...SAMPLE_CARDS.elder, name: '欧阳锋' });
    expect(session.public()).toMatchObject({ maskedName: '欧阳*', maskedId: '110***********003X' });
  });
});
