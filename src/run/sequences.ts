/*
 * src/run/sequences.ts - the generated input of a run: a sequence of steps, each a choice tuple
 *
 * One fast-check arbitrary serves both ends: campaigns sample it (src/run/campaign.ts) and the
 * shrinker walks its shrink tree to lower choices (src/shrink/shrink.ts).
 */
import fc from 'fast-check';
import { CHOICES_PER_STEP } from '../generate/choices.ts';

export type Choice = readonly number[];

const tuple = fc.array(fc.nat({ max: 0xffff }), { minLength: CHOICES_PER_STEP, maxLength: CHOICES_PER_STEP });

export const sequenceArbitrary = (minSteps: number, maxSteps: number) =>
  fc.array(tuple, { minLength: minSteps, maxLength: maxSteps });
