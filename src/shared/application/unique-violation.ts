// PostgreSQL's unique_violation (23505): two requests raced to create the same thing. Use cases retry or join
// the winner; MikroORM keeps the driver's code on the errors it throws.
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}
