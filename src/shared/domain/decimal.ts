import Decimal from 'decimal.js';

// Exact decimal arithmetic for the domain (money never goes through JS floating point): decimal.js, configured
// once, behind the shared domain kernel so module domains depend on a value type rather than on a library.
export const ExactDecimal = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type ExactDecimal = Decimal;
export const ROUND_HALF_UP = Decimal.ROUND_HALF_UP;
