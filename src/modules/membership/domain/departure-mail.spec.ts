import { departureMailRecipient } from './departure-mail';

describe('departureMailRecipient', () => {
  const base = { accountEmail: 'taro.yamada@company.example.jp', today: '2026-12-05' };

  it('mails the personal address whenever there is one, whatever the leaving date', () => {
    for (const departedOn of ['2019-03-31', '2026-12-05', '2027-03-31']) {
      expect(departureMailRecipient({ ...base, personalEmail: 'taro@home.example.jp', departedOn })).toEqual({ to: 'taro@home.example.jp', via: 'personal' });
    }
  });

  it('mails the company address only while it still works: leaving today or later', () => {
    expect(departureMailRecipient({ ...base, personalEmail: null, departedOn: '2026-12-05' })).toEqual({ to: base.accountEmail, via: 'company' });
    expect(departureMailRecipient({ ...base, personalEmail: '', departedOn: '2027-03-31' })).toEqual({ to: base.accountEmail, via: 'company' });
  });

  it('sends nothing when the leaving date has passed and there is no personal address', () => {
    expect(departureMailRecipient({ ...base, personalEmail: null, departedOn: '2026-12-04' })).toEqual({ to: null, via: 'none' });
    expect(departureMailRecipient({ ...base, personalEmail: '  ', departedOn: '2019-03-31' })).toEqual({ to: null, via: 'none' });
  });
});
