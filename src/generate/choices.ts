/*
 * src/generate/choices.ts - how many choices one generated step carries
 *
 * The reader of a step's choices (Choices, maybeFail) is part of each operation's definition
 * (models/ops/choices.ts): an operation's build() turns a candidate and the choices into its
 * arguments. The engine only decides how many numbers a step gets and where they come from.
 */
export { Choices, maybeFail } from '../../models/ops/choices.ts';

export const CHOICES_PER_STEP = 6;
