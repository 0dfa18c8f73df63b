// Seats a tenant pays for against seats its users hold, across its SKUs (purchased = active + warning units,
// assigned = consumed units). Unknown when the licences are not readable (no licence-reading GDAP role) or not read
// yet: such a tenant is never over-assigned and never has unused seats.
export interface SeatBalance {
  known: boolean;
  // Seats paid for that nobody holds (0 when over-assigned or balanced).
  unused: number;
  // Users holding a licence beyond the seats paid for (0 unless assigned > purchased).
  overAssignedBy: number;
}

export function seatBalance(row: { purchased: number | null; assigned: number | null; licencesUnreadable: string | null }): SeatBalance {
  if (row.licencesUnreadable !== null || row.purchased === null || row.assigned === null)
    return { known: false, unused: 0, overAssignedBy: 0 };
  return { known: true, unused: Math.max(0, row.purchased - row.assigned), overAssignedBy: Math.max(0, row.assigned - row.purchased) };
}
