// Who acted: a staff user, an API key, or the system (a scheduled job: userId null).
export interface PsaActor {
  organizationId: string;
  userId: string | null;
  name: string;
}
