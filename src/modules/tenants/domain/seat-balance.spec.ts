import { seatBalance } from './seat-balance';

describe('seatBalance', () => {
  it('counts unused seats and over-assignment across the SKUs', () => {
    expect(seatBalance({ purchased: 60, assigned: 54, licencesUnreadable: null })).toEqual({ known: true, unused: 6, overAssignedBy: 0 });
    expect(seatBalance({ purchased: 12, assigned: 15, licencesUnreadable: null })).toEqual({ known: true, unused: 0, overAssignedBy: 3 });
  });

  it('never calls licences that are not readable over-assigned or unused', () => {
    expect(seatBalance({ purchased: null, assigned: null, licencesUnreadable: 'No licence-reading GDAP role' })).toEqual({
      known: false,
      unused: 0,
      overAssignedBy: 0,
    });
    // Even if stale counts were ever kept next to the reason.
    expect(seatBalance({ purchased: 1, assigned: 9, licencesUnreadable: 'No licence-reading GDAP role' })).toEqual({
      known: false,
      unused: 0,
      overAssignedBy: 0,
    });
  });
});
