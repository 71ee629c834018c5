/**
 * The unit conversions earnings rest on. The chain counts α and TAO in rao (10⁻⁹); the metagraph
 * decoder already divides by 10⁹, so amounts here are whole α and TAO. Emission is α per tempo:
 * a subnet's epoch runs once every tempo + 1 blocks, and a block is 12 s, 7200 a day.
 */
import type { GpuRental } from '../../shared/domain/earnings.js';

export const BLOCKS_PER_DAY = 7200;
/** A month as a twelfth of a year: a monthly price is spread evenly over 365/12 days. */
export const DAYS_PER_MONTH = 365 / 12;

export function temposPerDay(tempo: number): number {
  return BLOCKS_PER_DAY / (tempo + 1);
}

/** α per tempo → α per day. */
export function alphaPerDay(alphaPerTempo: number, tempo: number): number {
  return alphaPerTempo * temposPerDay(tempo);
}

/** A GPU box's rent per day, in USD. */
export function rentPerDay(rental: GpuRental): number {
  return rental.per === 'hour' ? rental.usd * 24 : rental.usd / DAYS_PER_MONTH;
}

export function monthlyPerDay(usdPerMonth: number): number {
  return usdPerMonth / DAYS_PER_MONTH;
}

/** kWh price × kW drawn × hours a day. */
export function electricityPerDay(usdPerKwh: number, watts: number, hoursPerDay: number): number {
  return usdPerKwh * (watts / 1000) * hoursPerDay;
}

/** The UTC day of an ISO time, YYYY-MM-DD. */
export function utcDay(iso: string): string {
  return new Date(iso).toISOString().slice(0, 10);
}
