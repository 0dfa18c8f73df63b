import { DomainError } from '../../../shared/domain/domain-error';
import { CustomerReadRefusedError } from '../../partner-center';

// Why a read failed, in words for the partner admin (never a stack trace); `null` for a bug, which is logged.
export function importFailureReason(error: unknown): string | null {
  if (error instanceof CustomerReadRefusedError) return error.reason;
  if (error instanceof DomainError) return error.fix ? `${error.message} ${error.fix}` : error.message;
  return null;
}

export const UNEXPECTED_READ_FAILURE =
  'Sync 365 hit an unexpected error while reading this tenant. Select Retry; if it fails again, contact your Sync 365 administrator.';
