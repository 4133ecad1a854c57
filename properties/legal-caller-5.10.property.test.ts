// The legal-caller property on 5.10 (see legal-caller.ts).
import { legalCallerProperty } from './legal-caller.ts';

legalCallerProperty('5.10');
