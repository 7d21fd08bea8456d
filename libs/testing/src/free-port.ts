export { freePort } from '@tributary/runtime';
