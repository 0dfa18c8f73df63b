import { DEFAULT_RETRY_DELAYS_SECONDS } from '../domain/delivery-schedule';

// How deliveries are attempted. One instance per app; the e2e tests shorten the waits on theirs so a retry
// takes a second, not ten minutes.
export class WebhookDeliveryOptions {
  retryDelaysSeconds: readonly number[] = DEFAULT_RETRY_DELAYS_SECONDS;
  // An endpoint that has not answered by then has failed this attempt.
  timeoutSeconds = 10;
  // A delivery due longer ago than this with nobody sending it lost its job; the sweeper queues it again.
  overdueAfterSeconds = 60;
  // Hosts that may be private or loopback addresses (WEBHOOK_ALLOWED_HOSTS); every other webhook goes only to
  // public internet addresses.
  allowedHosts: readonly string[] = [];
}
