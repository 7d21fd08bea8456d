export { SimplePattern } from './simple-pattern';
export type { SimplePatternOptions } from './simple-pattern';
export { DEFAULT_SEPARATORS, WHITESPACE_SEPARATORS } from './simple-pattern.compiler';
export type { SimplePatternMode } from './simple-pattern.compiler';
