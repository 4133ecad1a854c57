// The legal-caller property on 6.2 (see legal-caller.ts).
import { legalCallerProperty } from './legal-caller.ts';

legalCallerProperty('6.2');
