// The licensing module's figures are as of its last read of the tenant. Quantity changes applied through the
// portal after that read are laid over them, so neither the customer nor the partner sees the old quantity (and
// no new request starts from it) until the next read confirms the new one.
export interface AppliedChange {
  subscriptionId: string;
  appliedQuantity: number;
  completedAt: Date;
}

export function quantityNow(subscription: { id: string; quantity: number; readAt: Date }, applied: AppliedChange[]): number {
  const id = subscription.id.toLowerCase();
  let latest: AppliedChange | null = null;
  for (const change of applied) {
    if (change.subscriptionId.toLowerCase() !== id || change.completedAt.getTime() <= subscription.readAt.getTime()) continue;
    if (!latest || change.completedAt.getTime() > latest.completedAt.getTime()) latest = change;
  }
  return latest ? latest.appliedQuantity : subscription.quantity;
}
